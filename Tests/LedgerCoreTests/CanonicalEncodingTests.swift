import LedgerCore
import Testing

@Suite("Canonical encoding and the hash chain")
struct CanonicalEncodingTests {
    typealias F = Fixtures

    static let number = EntryNumber(fiscalYear: 2024, sequence: 123)
    static let postedAt = Timestamp(millisecondsSince1970: 1_718_447_400_000)

    static func entryBytes(
        _ draft: EntryDraft, number: EntryNumber = number, postedAt: Timestamp = postedAt, reverses: EntryNumber? = nil
    ) -> [UInt8] {
        var buffer: [UInt8] = []
        CanonicalEncoding.appendEntry(draft, number: number, postedAt: postedAt, reverses: reverses, to: &buffer)
        return buffer
    }

    static func hash(
        _ draft: EntryDraft, number: EntryNumber = number, postedAt: Timestamp = postedAt, reverses: EntryNumber? = nil,
        previous: EntryHash = .genesis
    ) -> EntryHash {
        EntryHash.chained(previous: previous, canonical: entryBytes(draft, number: number, postedAt: postedAt, reverses: reverses))
    }

    /// The second pinned entry: a reversal in two currencies with an idempotency key.
    static func conversionReversal() throws -> EntryDraft {
        var draft = try F.conversion(rate: "USD/IDR 15650.25")
        draft.source = .reversal
        draft.idempotencyKey = "conv-0603"
        return draft
    }

    // MARK: - Pinned digests
    //
    // These values were computed independently (Python, from the layout documented in
    // CanonicalEncoding.swift), not by running the Swift code. If one changes, every stored
    // chain breaks: change the layout only with a new magic version.

    @Test func pinnedDigestOfAFixedEntry() {
        #expect(Self.hash(F.draft()).hex == "bd45ba5256fe948dff7a9755942921a911d366ba5f8576f23799b6b7fe83127d")
        #expect(Self.entryBytes(F.draft()).count == 271)
    }

    @Test func pinnedBodyDigests() throws {
        #expect(CanonicalEncoding.bodyDigest(F.draft()).hex
                == "70e8a3da072b230c02a2ef61e8c8934fbdc2f872a8a77ccc160027f2a43dbe7b")
        #expect(CanonicalEncoding.bodyDigest(try Self.conversionReversal()).hex
                == "f6f5e773484f1d5290d5afa4bf4d00e1da36950caf1d7425f2b3e8b9f2f527a9")
    }

    @Test func pinnedDigestOfAChainedReversal() throws {
        let first = Self.hash(F.draft())
        let second = Self.hash(
            try Self.conversionReversal(), number: EntryNumber(fiscalYear: 2024, sequence: 124),
            postedAt: Timestamp(millisecondsSince1970: 1_718_447_401_000), reverses: EntryNumber(fiscalYear: 2024, sequence: 7),
            previous: first)
        #expect(second.hex == "2e574841482e0271ea2a5317a710ae2256d8a75fd9f90f125ee31e8d764a9b1a")
    }

    // MARK: - The documented layout, byte by byte

    static func u32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    static func i64(_ value: Int64) -> [UInt8] {
        let bits = UInt64(bitPattern: value)
        return (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64($0))) }
    }

    static func text(_ value: String) -> [UInt8] { Self.u32(value.utf8.count) + Array(value.utf8) }
    static func optional(_ value: String?) -> [UInt8] { value.map { [1] + Self.text($0) } ?? [0] }

    @Test func layoutMatchesTheDocumentation() throws {
        let draft = EntryDraft(
            date: F.date("2024-06-15"), description: "Caf\u{e9}", source: .claim, author: "ani",
            exchangeRate: nil,
            postings: [
                PostingDraft(accountCode: "5-1100", amount: F.idr(150_000_000), dimensions: Dimensions(district: "SBT")),
                PostingDraft(accountCode: "1-1100", amount: F.idr(-150_000_000), memo: "m"),
            ])
        var expected: [UInt8] = Array("NERACA-ENTRY-1".utf8)
        expected += Self.text("JE-2024-000001") + Self.i64(-2) + Self.optional("JE-2023-000009")
        expected += Self.text("2024-06-15") + Self.u32(5) + [0x43, 0x61, 0x66, 0xC3, 0xA9] + Self.optional(nil) + Self.text("claim")
        expected += Self.text("ani") + Self.optional(nil) + Self.optional(nil) + Self.u32(2)
        expected += Self.text("5-1100") + [0, 0, 0, 0, 0x08, 0xF0, 0xD1, 0x80] + Self.text("IDR")
        expected += Self.optional("SBT") + [0, 0, 0, 0] + [0]
        expected += Self.text("1-1100") + [0xFF, 0xFF, 0xFF, 0xFF, 0xF7, 0x0F, 0x2E, 0x80] + Self.text("IDR")
        expected += [0, 0, 0, 0, 0] + Self.optional("m")
        let actual = Self.entryBytes(
            draft, number: EntryNumber(fiscalYear: 2024, sequence: 1), postedAt: Timestamp(millisecondsSince1970: -2),
            reverses: EntryNumber(fiscalYear: 2023, sequence: 9))
        #expect(actual == expected)
        #expect(CanonicalEncoding.entryMagic == Array("NERACA-ENTRY-1".utf8))
    }

    @Test func appendKeepsWhatIsAlreadyInTheBuffer() {
        var buffer: [UInt8] = [0xAA, 0xBB]
        CanonicalEncoding.appendEntry(F.draft(), number: Self.number, postedAt: Self.postedAt, reverses: nil, to: &buffer)
        #expect(buffer == [0xAA, 0xBB] + Self.entryBytes(F.draft()))
        var body: [UInt8] = [0x01]
        CanonicalEncoding.appendBody(F.draft(), to: &body)
        #expect(body.count > 1 && body[0] == 0x01)
        #expect(Array(Self.entryBytes(F.draft()).suffix(body.count - 1)) == Array(body.dropFirst()))
    }

    // MARK: - NFC

    @Test func nfcAndDecomposedSpellingsEncodeTheSame() {
        var composed = F.draft()
        composed.description = "Caf\u{e9} P\u{e9}latihan"
        composed.author = "Andr\u{e9}"
        composed.reference = "N\u{ba}\u{e9}"
        composed.postings[0].memo = "\u{e9}t\u{e9}"
        composed.postings[0].dimensions.party = "Ib\u{fc} Sri"
        composed.postings[0].accountCode = "5-Caf\u{e9}"
        var decomposed = composed
        decomposed.description = "Cafe\u{301} Pe\u{301}latihan"
        decomposed.author = "Andre\u{301}"
        decomposed.reference = "N\u{ba}e\u{301}"
        decomposed.postings[0].memo = "e\u{301}te\u{301}"
        decomposed.postings[0].dimensions.party = "Ibu\u{308} Sri"
        decomposed.postings[0].accountCode = "5-Cafe\u{301}"
        #expect(Array(composed.description.unicodeScalars) != Array(decomposed.description.unicodeScalars))
        #expect(Self.entryBytes(composed) == Self.entryBytes(decomposed))
        #expect(Self.hash(composed) == Self.hash(decomposed))
        #expect(CanonicalEncoding.bodyDigest(composed) == CanonicalEncoding.bodyDigest(decomposed))
        // And the bytes hold the composed form.
        let bytes = Self.entryBytes(decomposed)
        #expect(bytes.containsSubsequence(Array("Caf\u{e9} P\u{e9}latihan".utf8)))
        #expect(!bytes.containsSubsequence(Array("Cafe\u{301}".utf8)))
    }

    // MARK: - Every field counts

    struct Change: Sendable, CustomTestStringConvertible {
        let name: String
        let apply: @Sendable (inout EntryDraft) -> Void
        var testDescription: String { name }
    }

    static let changes: [Change] = [
        .init(name: "date") { $0.date = Fixtures.date("2024-06-16") },
        .init(name: "description") { $0.description += "." },
        .init(name: "description case") { $0.description = $0.description.lowercased() },
        .init(name: "reference removed") { $0.reference = nil },
        .init(name: "reference empty") { $0.reference = "" },
        .init(name: "reference") { $0.reference = "KW-0613" },
        .init(name: "source") { $0.source = .import },
        .init(name: "author") { $0.author = "finance.sbt" },
        .init(name: "idempotency key") { $0.idempotencyKey = "k-1" },
        .init(name: "exchange rate") { $0.exchangeRate = try? ExchangeRate(parsing: "USD/IDR 15650.25") },
        .init(name: "posting order") { $0.postings.swapAt(0, 1) },
        .init(name: "account") { $0.postings[1].accountCode = "1-1300" },
        .init(name: "amount") { $0.postings[0].amount = Fixtures.idr(150_000_001) },
        .init(name: "currency") { $0.postings[0].amount = Fixtures.usd(150_000_000) },
        .init(name: "district") { $0.postings[0].dimensions.district = "SBD" },
        .init(name: "district removed") { $0.postings[0].dimensions.district = nil },
        .init(name: "budget line") { $0.postings[0].dimensions.budgetLine = "2.1.4" },
        .init(name: "activity") { $0.postings[0].dimensions.activity = "Village training 2" },
        .init(name: "funding source") { $0.postings[0].dimensions.fundingSource = "DTF2" },
        .init(name: "party") { $0.postings[0].dimensions.party = "Ibu Marta" },
        .init(name: "memo") { $0.postings[0].memo = "3 days × Rp 500.001" },
        .init(name: "memo added") { $0.postings[1].memo = "transfer" },
        .init(name: "dimension added") { $0.postings[1].dimensions.district = "SBT" },
        // The same value in another slot than "dimension added" above.
        .init(name: "same value in another dimension") { $0.postings[1].dimensions.budgetLine = "SBT" },
        .init(name: "text moved across a field boundary") {
            $0.description = "Honorarium June, Desa Wung"
            $0.reference = "aKW-0612"
        },
        .init(name: "extra posting") {
            $0.postings[1].amount = Fixtures.idr(-149_999_999)
            $0.postings.append(PostingDraft(accountCode: "1-1300", amount: Fixtures.idr(-1)))
        },
    ]

    @Test(arguments: changes)
    func anySingleFieldChangeChangesTheBytesAndTheHash(_ change: Change) {
        let original = F.draft()
        var changed = original
        change.apply(&changed)
        #expect(changed != original, "the change must change something")
        #expect(Self.entryBytes(changed) != Self.entryBytes(original))
        #expect(Self.hash(changed) != Self.hash(original))
        #expect(CanonicalEncoding.bodyDigest(changed) != CanonicalEncoding.bodyDigest(original))
    }

    @Test func allChangesGiveDistinctHashes() {
        var hashes: Set<EntryHash> = [Self.hash(F.draft())]
        for change in Self.changes {
            var draft = F.draft()
            change.apply(&draft)
            hashes.insert(Self.hash(draft))
        }
        #expect(hashes.count == Self.changes.count + 1)
    }

    @Test func numberTimeAndReversalAreCoveredByTheEntryHashButNotTheBody() {
        let draft = F.draft()
        let base = Self.hash(draft)
        let variants = [
            Self.hash(draft, number: EntryNumber(fiscalYear: 2024, sequence: 124)),
            Self.hash(draft, number: EntryNumber(fiscalYear: 2025, sequence: 123)),
            Self.hash(draft, postedAt: Timestamp(millisecondsSince1970: Self.postedAt.millisecondsSince1970 + 1)),
            Self.hash(draft, reverses: EntryNumber(fiscalYear: 2024, sequence: 1)),
        ]
        #expect(Set(variants + [base]).count == 5)
        // The body (idempotency fingerprint) ignores number and time.
        #expect(CanonicalEncoding.bodyDigest(draft) == CanonicalEncoding.bodyDigest(F.draft()))
    }

    // MARK: - Chaining

    @Test func chainingDependsOnThePreviousHash() {
        let canonical = Self.entryBytes(F.draft())
        let fromGenesis = EntryHash.chained(previous: .genesis, canonical: canonical)
        let other = EntryHash.chained(previous: fromGenesis, canonical: canonical)
        #expect(fromGenesis != other)
        var flipped = EntryHash.genesis.bytes
        flipped[31] = 1
        #expect(EntryHash.chained(previous: EntryHash(bytes: flipped), canonical: canonical) != fromGenesis)
        #expect(EntryHash.chained(previous: .genesis, canonical: canonical) == fromGenesis, "deterministic")
    }

    @Test func chainedIsSHA256OfPreviousFollowedByCanonical() throws {
        // SHA-256 of 32 zero bytes, a published value.
        #expect(EntryHash.chained(previous: .genesis, canonical: []).hex
                == "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925")
        // bodyDigest is SHA-256(body); splitting the body into a 32-byte "previous" and the
        // rest must give the same digest.
        var body: [UInt8] = []
        CanonicalEncoding.appendBody(F.draft(), to: &body)
        try #require(body.count > 32)
        let split = EntryHash.chained(previous: EntryHash(bytes: Array(body.prefix(32))), canonical: Array(body.dropFirst(32)))
        #expect(split == CanonicalEncoding.bodyDigest(F.draft()))
    }

    // MARK: - Hex

    @Test func hexRoundTrip() throws {
        #expect(EntryHash.genesis.hex == String(repeating: "0", count: 64))
        let hash = Self.hash(F.draft())
        #expect(EntryHash(hex: hash.hex) == hash)
        #expect(EntryHash(hex: hash.hex.uppercased()) == hash)
        #expect(hash.description == hash.hex)
        #expect(EntryHash(hex: String(hash.hex.dropLast())) == nil)
        #expect(EntryHash(hex: hash.hex + "0") == nil)
        #expect(EntryHash(hex: "g" + String(hash.hex.dropFirst())) == nil)
        #expect(EntryHash(hex: "") == nil)
    }
}

extension Array where Element == UInt8 {
    fileprivate func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        for start in 0...(count - needle.count) where Array(self[start..<(start + needle.count)]) == needle {
            return true
        }
        return false
    }
}
