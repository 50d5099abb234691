/// Account names seen in a journal, so that the 2.5 million postings of a large journal
/// share a few hundred `String`s instead of allocating one each.
///
/// An open-addressing hash table keyed by the name's bytes (FNV-1a). Bounded by
/// `SetupLimits.journalAccountNamesInternedMax`: past it, names are still returned, just
/// not shared.
struct AccountNameTable {
    private var slots: [Int32] = Array(repeating: -1, count: 1024)
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var arena: [UInt8] = []
    private var names: [String] = []

    /// The String for these bytes, or nil when they are not valid UTF-8.
    mutating func name(_ line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String? {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in start..<end {
            hash = (hash ^ UInt64(line[index])) &* 0x0000_0100_0000_01b3
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        let length = end - start
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash, lengths[entry] == length, sameBytes(entry, line, start) {
                return names[entry]
            }
            slot = (slot + 1) & mask
        }
        guard let text = JournalBytes.string(line, from: start, to: end) else { return nil }
        guard names.count < SetupLimits.journalAccountNamesInternedMax else { return text }
        slots[slot] = Int32(names.count)
        hashes.append(hash)
        starts.append(arena.count)
        lengths.append(length)
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: line[start..<end]))
        names.append(text)
        if names.count * 2 > slots.count { grow() }
        return text
    }

    private func sameBytes(_ entry: Int, _ line: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        let stored = starts[entry]
        let length = lengths[entry]
        return arena.withUnsafeBufferPointer { arena in
            var offset = 0
            while offset < length {
                if arena[stored + offset] != line[start + offset] { return false }
                offset += 1
            }
            return true
        }
    }

    /// Doubles the slot array, keeping it at most half full.
    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (entry, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }
}
