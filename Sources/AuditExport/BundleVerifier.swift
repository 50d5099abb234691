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
    /// The bundle's manifest, when it could be read.
    public let manifest: BundleManifest?
    /// The problems, at most `BundleVerifier.problemsMax` of them.
    public let problems: [BundleProblem]
    /// Problems found beyond those listed.
    public var problemsNotShown = 0
    /// Journal entries rebuilt and hashed.
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

    /// Checks the bundle in `directory`.
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
        guard checkManifestPaths(manifest, &report) else {
            return BundleVerification(manifest: manifest, problems: report.problems, entriesChecked: 0)
        }
        // Every file is hashed on the second core while the journal is checked on the first.
        let files = FileCheck(verifier: self, manifest: manifest)
        files.start()
        let names = accountNames(&report)
        let trialBalance = readTrialBalance(names: names, &report)
        var journal = JournalCheck(directory: directory, manifest: manifest, names: names)
        let derived = renderDerived(manifest, trialBalance, names: names, &report)
        journal.run(derived: derived?.files, &report)
        if let derived, journal.derivedComplete { checkDerived(manifest, derived, &report) }
        checkTrialBalance(trialBalance, journal, &report)
        checkControlTotals(manifest, journal, &report)
        for problem in files.wait() { report.add(problem) }
        var verification = BundleVerification(manifest: manifest, problems: report.problems, entriesChecked: journal.entries)
        verification.problemsNotShown = report.dropped
        return verification
    }

    /// Collects problems up to `problemsMax`.
    struct Report {
        var problems: [BundleProblem] = []
        var dropped = 0

        mutating func add(_ problem: BundleProblem) {
            if problems.count < BundleVerifier.problemsMax { problems.append(problem) } else { dropped += 1 }
        }
    }

    /// Every path in the manifest stays inside the bundle, and the files every bundle has
    /// are listed. - Returns: false when a path points outside (nothing else is read then).
    private func checkManifestPaths(_ manifest: BundleManifest, _ report: inout Report) -> Bool {
        var safe = true
        var seen: Set<String> = []
        for file in manifest.files {
            let parts = file.path.split(separator: "/", omittingEmptySubsequences: false)
            if file.path.hasPrefix("/") || parts.contains("..") || parts.contains("") || file.path == BundleManifest.fileName {
                report.add(BundleProblem(file: BundleManifest.fileName, field: "files",
                                         message: "'\(file.path)' is not a path inside the bundle"))
                safe = false
            }
            if !seen.insert(file.path).inserted {
                report.add(BundleProblem(file: BundleManifest.fileName, field: "files", message: "'\(file.path)' is listed twice"))
            }
        }
        for required in BundleLayout.required where !seen.contains(required) {
            report.add(BundleProblem(file: BundleManifest.fileName, field: "files", message: "\(required) is not listed"))
        }
        return safe
    }

    // MARK: - Files against the manifest

    /// `checkFiles` on a thread of its own. `@unchecked Sendable`: `problems` is written by
    /// that thread only, and read after `wait()`.
    final class FileCheck: @unchecked Sendable {
        let verifier: BundleVerifier
        let manifest: BundleManifest
        private let done = DispatchGroup()
        private var report = Report()

        init(verifier: BundleVerifier, manifest: BundleManifest) {
            self.verifier = verifier
            self.manifest = manifest
        }

        func start() {
            DispatchQueue.global().async(group: done) { self.verifier.checkFiles(self.manifest, &self.report) }
        }

        func wait() -> [BundleProblem] {
            done.wait()
            return report.problems
        }
    }

    func checkFiles(_ manifest: BundleManifest, _ report: inout Report) {
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

    // MARK: - Accounts, trial balance and the derived files

    /// Account code → English name, from `accounts.csv`.
    private func accountNames(_ report: inout Report) -> [String: String] {
        let file = BundleLayout.accounts
        guard let reader = LineReader(path: directory + "/" + file) else {
            report.add(BundleProblem(file: file, message: "missing"))
            return [:]
        }
        guard let header = reader.next(), CSVLine.fields(header) == BundleLayout.accountColumns else {
            report.add(BundleProblem(file: file, row: 0, message: "the header is not \(BundleLayout.accountColumns.joined(separator: ","))"))
            return [:]
        }
        var names: [String: String] = [:]
        var row = 0
        while let line = reader.next() {
            row += 1
            guard let fields = CSVLine.fields(line), fields.count == BundleLayout.accountColumns.count else {
                report.add(BundleProblem(file: file, row: row, message: "not an account row"))
                continue
            }
            if names[fields[0]] != nil { report.add(BundleProblem(file: file, row: row, field: "code", message: "\(fields[0]) twice")) }
            if fields[8] != BundleLayout.generalLedgerFile(fields[0]) {
                report.add(BundleProblem(file: file, row: row, field: "general_ledger_file",
                                         message: "'\(fields[8])' is not the file of \(fields[0])"))
            }
            names[fields[0]] = fields[1]
        }
        return names
    }

    /// An account named on a row is in `accounts.csv`, under the name it gives there.
    static func checkAccount(
        _ code: String, named name: String, against names: [String: String], file: String, row: Int, _ report: inout Report
    ) {
        guard let expected = names[code] else {
            report.add(BundleProblem(file: file, row: row, field: "account", message: "\(code) is not in accounts.csv"))
            return
        }
        if expected != name {
            report.add(BundleProblem(file: file, row: row, field: "account_name",
                                     message: "'\(name)' is not the name accounts.csv gives \(code)"))
        }
    }

    /// `trial-balance.csv`, read before the journal: its openings start the derived files.
    struct TrialBalanceFile {
        struct Row {
            let row: Int
            let amounts: [Int64]  // opening debit, opening credit, debit, credit, closing debit, closing credit
            let currency: Currency
        }

        var rows: [AccountCurrency: Row] = [:]

        /// The non-zero opening balances, in account then currency order (as exported).
        var openings: [(account: String, net: Money)] {
            rows.sorted { $0.key < $1.key }.compactMap { key, row in
                let (net, overflow) = row.amounts[0].subtractingReportingOverflow(row.amounts[1])
                return net == 0 || overflow ? nil : (key.account, Money(minorUnits: net, currency: row.currency))
            }
        }
    }

    private func readTrialBalance(names: [String: String], _ report: inout Report) -> TrialBalanceFile {
        let file = BundleLayout.trialBalance
        var result = TrialBalanceFile()
        guard let reader = LineReader(path: directory + "/" + file) else {
            report.add(BundleProblem(file: file, message: "missing"))
            return result
        }
        guard let header = reader.next(), CSVLine.fields(header) == BundleLayout.trialBalanceColumns else {
            report.add(BundleProblem(file: file, row: 0, message: "the header is not \(BundleLayout.trialBalanceColumns.joined(separator: ","))"))
            return result
        }
        var row = 0
        rows: while let line = reader.next() {
            row += 1
            guard let fields = CSVLine.fields(line), fields.count == BundleLayout.trialBalanceColumns.count else {
                report.add(BundleProblem(file: file, row: row, message: "not a trial-balance row"))
                continue
            }
            guard let currency = Currency.known[fields[2]] else {
                report.add(BundleProblem(file: file, row: row, field: "currency", message: "'\(fields[2])' is not a currency"))
                continue
            }
            Self.checkAccount(fields[0], named: fields[1], against: names, file: file, row: row, &report)
            var amounts: [Int64] = []
            for (offset, text) in fields[3...8].enumerated() {
                guard let money = Money.parsePlain(text, currency: currency), money.minorUnits >= 0 else {
                    report.add(BundleProblem(file: file, row: row, field: BundleLayout.trialBalanceColumns[3 + offset],
                                             message: "'\(text)' is not an amount in \(currency.code)"))
                    continue rows
                }
                amounts.append(money.minorUnits)
            }
            let key = AccountCurrency(account: fields[0], currency: currency.code)
            guard result.rows[key] == nil else {
                report.add(BundleProblem(file: file, row: row, field: "account", message: "\(fields[0]) \(currency.code) twice"))
                continue
            }
            result.rows[key] = TrialBalanceFile.Row(row: row, amounts: amounts, currency: currency)
        }
        if let failure = reader.failure { report.add(BundleProblem(file: file, row: row + 1, message: failure)) }
        return result
    }

    /// The derived files being rendered again, into hashes.
    struct Derived {
        let files: DerivedFiles
        let fec: HashingSink
        let hledger: HashingSink
        let ledgers: Ledgers
    }

    /// The general-ledger sinks by path, shared with the renderer.
    final class Ledgers {
        var sinks: [String: HashingSink] = [:]
    }

    private func renderDerived(
        _ manifest: BundleManifest, _ trialBalance: TrialBalanceFile, names: [String: String], _ report: inout Report
    ) -> Derived? {
        guard let base = Currency.known[manifest.baseCurrency], let firstDay = try? LedgerDate(parsing: manifest.periodStart) else {
            report.add(BundleProblem(file: BundleManifest.fileName, field: "baseCurrency",
                                     message: "'\(manifest.baseCurrency)' or '\(manifest.periodStart)' cannot be read"))
            return nil
        }
        let fec = HashingSink()
        let hledger = HashingSink()
        let ledgers = Ledgers()
        do {
            let files = try DerivedFiles(fiscalYear: manifest.fiscalYear, baseCurrency: base, fec: fec, hledger: hledger,
                                         makeLedger: { code in
                let sink = HashingSink()
                sink.append(Array(BundleLayout.generalLedgerColumns.joined(separator: ",").utf8))
                try sink.endHeader()
                ledgers.sinks[BundleLayout.generalLedgerFile(code)] = sink
                return sink
            })
            // The names the derived files print come from accounts.csv, as the export's did.
            try files.open(trialBalance.openings, firstDay: firstDay, names: names)
            return Derived(files: files, fec: fec, hledger: hledger, ledgers: ledgers)
        } catch {
            report.add(BundleProblem(file: BundleLayout.trialBalance, message: "its opening balances cannot be rendered: \(error)"))
            return nil
        }
    }

    /// The rendered hashes against the manifest's: a derived file changed with the manifest
    /// rewritten to match no longer follows from the journal.
    private func checkDerived(_ manifest: BundleManifest, _ derived: Derived, _ report: inout Report) {
        var listed: [String: String] = [:]
        for file in manifest.files { listed[file.path] = file.sha256 }
        for (path, sink) in [(BundleLayout.fec, derived.fec), (BundleLayout.ledgerJournal, derived.hledger)]
            + derived.ledgers.sinks.map({ ($0.key, $0.value) }).sorted(by: { $0.0 < $1.0 }) {
            let rendered = sink.finish()
            guard let sha = listed[path] else {
                report.add(BundleProblem(file: path, message: "follows from the journal but is not in the manifest"))
                continue
            }
            if sha != rendered {
                report.add(BundleProblem(file: path, message: "does not follow from journal.csv and the opening balances"))
            }
        }
        for path in listed.keys.sorted() where path.hasPrefix(BundleLayout.generalLedger + "/") && derived.ledgers.sinks[path] == nil {
            report.add(BundleProblem(file: path, message: "has no posting or opening balance in the journal"))
        }
    }

    private func checkTrialBalance(_ trialBalance: TrialBalanceFile, _ journal: JournalCheck, _ report: inout Report) {
        let file = BundleLayout.trialBalance
        var openingNet: [String: CheckedSum] = [:]
        for (key, row) in trialBalance.rows.sorted(by: { $0.key < $1.key }) {
            let movement = journal.movements[key] ?? JournalCheck.Movement()
            let amounts = row.amounts
            func money(_ value: Int64) -> String { Money(minorUnits: value, currency: row.currency).plainDecimal }
            if amounts[2] != movement.debit.value || movement.debit.overflowed {
                report.add(BundleProblem(file: file, row: row.row, field: "debit", message: "\(key.account) \(key.currency): says \(money(amounts[2])), the journal's debits add up to \(money(movement.debit.value))"))
            }
            if amounts[3] != movement.credit.value || movement.credit.overflowed {
                report.add(BundleProblem(file: file, row: row.row, field: "credit", message: "\(key.account) \(key.currency): says \(money(amounts[3])), the journal's credits add up to \(money(movement.credit.value))"))
            }
            var closing = CheckedSum()
            for (amount, sign) in zip(amounts[0...3], [1, -1, 1, -1] as [Int64]) { closing.add(amount &* sign) }
            var stated = CheckedSum()
            stated.add(amounts[4])
            stated.add(0 &- amounts[5])
            if closing.value != stated.value || closing.overflowed || stated.overflowed {
                report.add(BundleProblem(file: file, row: row.row, field: "closing_debit", message: "\(key.account) \(key.currency): opening plus movements is not the closing balance"))
            }
            openingNet[key.currency, default: CheckedSum()].add(amounts[0] &- amounts[1])
        }
        for key in journal.movements.keys.sorted() where trialBalance.rows[key] == nil {
            report.add(BundleProblem(file: file, message: "\(key.account) \(key.currency) has postings in the journal but no row"))
        }
        for (currency, net) in openingNet.sorted(by: { $0.key < $1.key }) where net.value != 0 || net.overflowed {
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
            let debit = currency.map { Money(minorUnits: found?.debit.value ?? 0, currency: $0).plainDecimal }
            let credit = currency.map { Money(minorUnits: found?.credit.value ?? 0, currency: $0).plainDecimal }
            let overflowed = found?.debit.overflowed == true || found?.credit.overflowed == true
            if debit != total.debit || credit != total.credit || found?.entries != total.entries
                || found?.postings != total.postings || overflowed {
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
