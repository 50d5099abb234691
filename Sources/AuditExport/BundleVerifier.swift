import Foundation
import LedgerCore

/// One thing wrong in a bundle: the file, the row (1-based, data rows after the header),
/// the field, and what is wrong.
public struct BundleProblem: Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let row: Int?
    public let field: String?
    public let message: String

    public init(file: String, row: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.row = row
        self.field = field
        self.message = message
    }

    public var description: String {
        file + (row.map { " row \($0)" } ?? "") + (field.map { ", \($0)" } ?? "") + ": " + message
    }
}

/// What `verify` found.
public struct BundleVerification: Sendable {
    public let manifest: BundleManifest?
    public let problems: [BundleProblem]
    public let entriesChecked: Int
    public var passed: Bool { problems.isEmpty }
}

/// Checks a bundle offline, from its files alone: every file against the manifest, the
/// hash chain from the start head to the end head, every entry balanced, the trial balance
/// against the journal, the control totals, the JSON Lines against the CSV, and every
/// receipt against its name.
public struct BundleVerifier {
    let directory: String
    /// Problems reported at most, so that a badly damaged bundle still gives a readable report.
    public static let problemsMax = 200

    public init(directory: String) {
        self.directory = directory
    }

    /// Verifies a bundle directory, or a bundle zip (unpacked into a temporary directory,
    /// every entry's CRC-32 checked, removed afterwards).
    public static func verify(bundleAt path: String) -> BundleVerification {
        guard path.hasSuffix(".zip") else { return BundleVerifier(directory: path).verify() }
        let name = (path as NSString).lastPathComponent
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("neraca-verify-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            try ZipArchive.extract(path, to: scratch)
        } catch let failure as ZipArchive.Failure {
            let message: String
            switch failure {
            case .tooLarge(let what): message = "\(what) is too large for a zip without ZIP64"
            case .unreadable(let what): message = "cannot be read as a zip (\(what))"
            case .notStored(let entry): message = "\(entry) is compressed: unzip the bundle and verify the directory"
            case .crcMismatch(let entry): message = "\(entry) does not match its CRC-32 in the zip: it was changed"
            case .unsafePath(let entry): message = "\(entry) points outside the bundle"
            }
            return BundleVerification(manifest: nil, problems: [BundleProblem(file: name, message: message)], entriesChecked: 0)
        } catch {
            return BundleVerification(manifest: nil, problems: [BundleProblem(file: name, message: "cannot be unpacked: \(error)")],
                                      entriesChecked: 0)
        }
        return BundleVerifier(directory: scratch).verify()
    }

    public func verify() -> BundleVerification {
        var report = Report()
        let manifestPath = directory + "/" + BundleManifest.fileName
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            report.add(BundleProblem(file: BundleManifest.fileName, message: "missing or unreadable"))
            return BundleVerification(manifest: nil, problems: report.problems, entriesChecked: 0)
        }
        let manifest: BundleManifest
        do {
            manifest = try JSONDecoder().decode(BundleManifest.self, from: data)
        } catch {
            report.add(BundleProblem(file: BundleManifest.fileName, message: "not a bundle manifest: \(error)"))
            return BundleVerification(manifest: nil, problems: report.problems, entriesChecked: 0)
        }
        guard manifest.format == BundleManifest.formatName else {
            report.add(BundleProblem(file: BundleManifest.fileName, field: "format",
                                     message: "'\(manifest.format)' is not \(BundleManifest.formatName)"))
            return BundleVerification(manifest: manifest, problems: report.problems, entriesChecked: 0)
        }
        checkFiles(manifest, &report)
        var journal = JournalCheck(directory: directory, manifest: manifest)
        journal.run(&report)
        checkTrialBalance(journal, &report)
        checkControlTotals(manifest, journal, &report)
        return BundleVerification(manifest: manifest, problems: report.problems, entriesChecked: journal.entries)
    }

    /// Collects problems up to `problemsMax`.
    struct Report {
        var problems: [BundleProblem] = []
        var dropped = 0

        mutating func add(_ problem: BundleProblem) {
            if problems.count < BundleVerifier.problemsMax { problems.append(problem) } else { dropped += 1 }
        }
    }

    // MARK: - Files against the manifest

    private func checkFiles(_ manifest: BundleManifest, _ report: inout Report) {
        let listed = Set(manifest.files.map(\.path))
        for path in allFiles() where path != BundleManifest.fileName && !listed.contains(path) {
            report.add(BundleProblem(file: path, message: "is not in the manifest"))
        }
        for file in manifest.files {
            guard let measured = measure(file.path) else {
                report.add(BundleProblem(file: file.path, message: "is in the manifest but missing"))
                continue
            }
            if measured.sha256 != file.sha256 {
                report.add(BundleProblem(file: file.path, field: "sha256",
                                         message: "content has SHA-256 \(measured.sha256), the manifest says \(file.sha256)"))
            }
            if measured.bytes != file.bytes {
                report.add(BundleProblem(file: file.path, field: "bytes",
                                         message: "has \(measured.bytes) bytes, the manifest says \(file.bytes)"))
            }
            if let rows = file.rows {
                let counted = file.path.hasSuffix(".jsonl") ? measured.lines : max(measured.lines - 1, 0)
                if counted != rows {
                    report.add(BundleProblem(file: file.path, field: "rows", message: "has \(counted) rows, the manifest says \(rows)"))
                }
            }
            if file.path.hasPrefix(BundleLayout.receipts + "/") {
                let name = (file.path as NSString).lastPathComponent
                let expected = (name as NSString).deletingPathExtension
                if measured.sha256 != expected {
                    report.add(BundleProblem(file: file.path,
                                             message: "is not the receipt it is named after: its SHA-256 is \(measured.sha256)"))
                }
            }
        }
    }

    /// Every file under the bundle directory, by its path inside it.
    private func allFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(path)
            }
        }
        return paths.sorted()
    }

    /// SHA-256, size and line count of a file, read once.
    private func measure(_ path: String) -> (sha256: String, bytes: Int64, lines: Int)? {
        let descriptor = open(directory + "/" + path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var digest = StreamingSHA256()
        var buffer = [UInt8](repeating: 0, count: 4 << 20)
        var bytes: Int64 = 0
        var lines = 0
        var lastByte: UInt8 = 0x0A
        while true {
            let count = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return read(descriptor, base, raw.count)
            }
            guard count > 0 else { break }
            buffer.withUnsafeBytes { raw in
                let slice = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                digest.update(slice)
                for byte in slice where byte == 0x0A { lines += 1 }
            }
            lastByte = buffer[count - 1]
            bytes += Int64(count)
        }
        if bytes > 0, lastByte != 0x0A { lines += 1 }
        return (digest.finalize().hex, bytes, lines)
    }

    // MARK: - Trial balance and control totals

    private func checkTrialBalance(_ journal: JournalCheck, _ report: inout Report) {
        let file = BundleLayout.trialBalance
        guard let reader = LineReader(path: directory + "/" + file) else {
            report.add(BundleProblem(file: file, message: "missing"))
            return
        }
        guard let header = reader.next(), CSVLine.fields(header) == BundleLayout.trialBalanceColumns else {
            report.add(BundleProblem(file: file, row: 0, message: "the header is not \(BundleLayout.trialBalanceColumns.joined(separator: ","))"))
            return
        }
        var seen: Set<JournalCheck.AccountCurrency> = []
        var openingNet: [String: Int64] = [:]
        var row = 0
        while let line = reader.next() {
            row += 1
            guard let fields = CSVLine.fields(line), fields.count == BundleLayout.trialBalanceColumns.count,
                  let currency = Currency.known[fields[2]] else {
                report.add(BundleProblem(file: file, row: row, message: "not a trial-balance row"))
                continue
            }
            let key = JournalCheck.AccountCurrency(account: fields[0], currency: currency.code)
            seen.insert(key)
            var amounts: [Int64] = []
            for (offset, text) in fields[3...8].enumerated() {
                guard let money = Money.parsePlain(text, currency: currency) else {
                    report.add(BundleProblem(file: file, row: row, field: BundleLayout.trialBalanceColumns[3 + offset],
                                             message: "'\(text)' is not an amount in \(currency.code)"))
                    return
                }
                amounts.append(money.minorUnits)
            }
            let movement = journal.movements[key] ?? JournalCheck.Movement()
            if amounts[2] != movement.debit {
                report.add(BundleProblem(file: file, row: row, field: "debit", message: "\(fields[0]) \(currency.code): says \(fields[5]), the journal's debits add up to \(Money(minorUnits: movement.debit, currency: currency).plainDecimal)"))
            }
            if amounts[3] != movement.credit {
                report.add(BundleProblem(file: file, row: row, field: "credit", message: "\(fields[0]) \(currency.code): says \(fields[6]), the journal's credits add up to \(Money(minorUnits: movement.credit, currency: currency).plainDecimal)"))
            }
            let opening = amounts[0] &- amounts[1]
            let closing = opening &+ amounts[2] &- amounts[3]
            if closing != amounts[4] &- amounts[5] {
                report.add(BundleProblem(file: file, row: row, field: "closing_debit", message: "\(fields[0]) \(currency.code): opening plus movements is not the closing balance"))
            }
            openingNet[currency.code, default: 0] &+= opening
        }
        for key in journal.movements.keys where !seen.contains(key) {
            report.add(BundleProblem(file: file, message: "\(key.account) \(key.currency) has postings in the journal but no row"))
        }
        for (currency, net) in openingNet.sorted(by: { $0.key < $1.key }) where net != 0 {
            report.add(BundleProblem(file: file, field: "opening_debit", message: "the opening balances in \(currency) do not balance"))
        }
    }

    private func checkControlTotals(_ manifest: BundleManifest, _ journal: JournalCheck, _ report: inout Report) {
        let file = BundleManifest.fileName
        if manifest.entries != journal.entries {
            report.add(BundleProblem(file: file, field: "entries", message: "says \(manifest.entries), the journal has \(journal.entries)"))
        }
        if manifest.postings != journal.postings {
            report.add(BundleProblem(file: file, field: "postings", message: "says \(manifest.postings), the journal has \(journal.postings)"))
        }
        var listed: Set<String> = []
        for total in manifest.controlTotals {
            listed.insert(total.currency)
            let found = journal.totals[total.currency]
            let currency = Currency.known[total.currency]
            let debit = currency.map { Money(minorUnits: found?.debit ?? 0, currency: $0).plainDecimal }
            let credit = currency.map { Money(minorUnits: found?.credit ?? 0, currency: $0).plainDecimal }
            if debit != total.debit || credit != total.credit || found?.entries != total.entries || found?.postings != total.postings {
                report.add(BundleProblem(
                    file: file, field: "controlTotals.\(total.currency)",
                    message: "say debits \(total.debit), credits \(total.credit), \(total.entries) entries, \(total.postings) postings;"
                        + " the journal has \(debit ?? "?"), \(credit ?? "?"), \(found?.entries ?? 0), \(found?.postings ?? 0)"))
            }
        }
        for currency in journal.totals.keys.sorted() where !listed.contains(currency) {
            report.add(BundleProblem(file: file, field: "controlTotals", message: "no control total for \(currency), which the journal has"))
        }
    }
}
