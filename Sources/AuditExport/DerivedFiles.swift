import Foundation
import LedgerCore

/// Where a bundle file's bytes go: a file being written (export), or only a hash being
/// computed (verify, which renders the derived files again and compares).
protocol BundleSink: AnyObject {
    func append(_ bytes: [UInt8])
    func endRow() throws
    func endHeader() throws
}

extension BundleFileWriter: BundleSink {}

/// Hashes, sizes and counts what would be written, without writing it.
final class HashingSink: BundleSink {
    private var buffer: [UInt8] = []
    private var digest = StreamingSHA256()
    private(set) var bytes: Int64 = 0

    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func endRow() throws {
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    func endHeader() throws {
        buffer.append(0x0A)
    }

    private func flush() {
        buffer.withUnsafeBytes { digest.update($0) }
        bytes += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// The SHA-256 of everything appended.
    func finish() -> String {
        flush()
        return digest.finalize().hex
    }
}

/// The files that follow from the journal and the opening balances — `fec.txt`,
/// `ledger.journal` and `general-ledger/*.csv` — rendered the same way by the exporter
/// (into files) and by the verifier (into hashes), so that a change to any of them is
/// caught even with the manifest rewritten to match.
final class DerivedFiles {
    /// An account's running balance in one currency.
    struct Key: Hashable {
        let account: String
        let currency: Currency
    }

    let fiscalYear: Int
    let baseCurrency: Currency
    let fec: any BundleSink
    let hledger: any BundleSink
    /// Creates the sink of a general-ledger file (its header already written).
    private let makeLedger: (String) throws -> any BundleSink
    private(set) var ledgers: [String: any BundleSink] = [:]
    private var running: [Key: Int64] = [:]
    private var fecNumber = 0
    private var line: [UInt8] = []

    init(fiscalYear: Int, baseCurrency: Currency, fec: any BundleSink, hledger: any BundleSink,
         makeLedger: @escaping (String) throws -> any BundleSink) throws {
        self.fiscalYear = fiscalYear
        self.baseCurrency = baseCurrency
        self.fec = fec
        self.hledger = hledger
        self.makeLedger = makeLedger
        line.reserveCapacity(1024)
        fec.append(Array(BundleLayout.fecColumns.joined(separator: "\t").utf8))
        try fec.endHeader()
        hledger.append(Array("""
            ; Neraca audit bundle: fiscal year \(fiscalYear), hledger/ledger journal syntax.
            ; Accounts are named by their codes (accounts.csv names them); `hledger -f ledger.journal bal`
            ; gives the closing balances of trial-balance.csv.

            """.utf8))
        try hledger.endHeader()
    }

    private func ledger(_ code: String) throws -> any BundleSink {
        if let sink = ledgers[code] { return sink }
        let sink = try makeLedger(code)
        ledgers[code] = sink
        return sink
    }

    /// The opening balances, in account then currency order: the first transaction of the
    /// hledger journal, the à-nouveaux entry (number 1) of the FEC file, and the first row of
    /// each account's general ledger.
    func open(_ openings: [(account: String, net: Money)], firstDay: LedgerDate, names: [String: String]) throws {
        guard !openings.isEmpty else { return }
        hledger.append(Array("\(firstDay) Opening balances".utf8))
        try hledger.endRow()
        fecNumber += 1
        for (account, net) in openings {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: [0x20, 0x20, 0x20, 0x20])
            line.append(contentsOf: account.utf8)
            line.append(contentsOf: [0x20, 0x20])
            BundleText.decimal(net.minorUnits, exponent: net.currency.exponent, into: &line)
            line.append(0x20)
            line.append(contentsOf: net.currency.code.utf8)
            hledger.append(line)
            try hledger.endRow()
            running[Key(account: account, currency: net.currency)] = net.minorUnits
            line.removeAll(keepingCapacity: true)
            JournalRow.csv(["opening", "", firstDay.description, "Opening balance", nil, net.currency.code, "", "",
                            net.plainDecimal], into: &line)
            let sink = try ledger(account)
            sink.append(line)
            try sink.endRow()
            try fecRow(journal: ("AN", "Opening balances"), date: firstDay, account: account, name: names[account] ?? "",
                       party: nil, piece: "opening", description: "Opening balances", amount: net, validDate: firstDay)
        }
        hledger.append([0x0A])
    }

    /// One entry into every derived file.
    func add(_ entry: PostedEntry, names: [String: String]) throws {
        let number = entry.number.description
        let draft = entry.draft
        fecNumber += 1
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: draft.date.description.utf8)
        line.append(contentsOf: Array(" (".utf8))
        line.append(contentsOf: number.utf8)
        line.append(contentsOf: Array(") ".utf8))
        BundleText.oneLine(draft.description, into: &line)
        hledger.append(line)
        try hledger.endRow()
        let journal = BundleLayout.fecJournal(draft.source)
        let validDate = entry.postedAt.utcDate ?? draft.date
        for (index, posting) in draft.postings.enumerated() {
            let amount = posting.amount
            let exponent = amount.currency.exponent
            try fecRow(journal: journal, date: draft.date, account: posting.accountCode, name: names[posting.accountCode] ?? "",
                       party: posting.dimensions.party, piece: draft.reference ?? number, description: draft.description,
                       amount: amount, validDate: validDate)

            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: [0x20, 0x20, 0x20, 0x20])
            line.append(contentsOf: posting.accountCode.utf8)
            line.append(contentsOf: [0x20, 0x20])
            BundleText.decimal(amount.minorUnits, exponent: exponent, into: &line)
            line.append(0x20)
            line.append(contentsOf: amount.currency.code.utf8)
            hledger.append(line)
            try hledger.endRow()

            let key = Key(account: posting.accountCode, currency: amount.currency)
            let (balance, overflow) = running[key, default: 0].addingReportingOverflow(amount.minorUnits)
            guard !overflow else { throw LedgerError.amountOverflow(field: "balance") }
            running[key] = balance
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: number.utf8)
            line.append(0x2C)
            BundleText.decimal(Int64(index), exponent: 0, into: &line)
            line.append(0x2C)
            line.append(contentsOf: draft.date.description.utf8)
            line.append(0x2C)
            BundleText.csv(draft.description, into: &line)
            line.append(0x2C)
            if let reference = draft.reference { BundleText.csv(reference, into: &line) }
            line.append(0x2C)
            line.append(contentsOf: amount.currency.code.utf8)
            line.append(0x2C)
            if amount.minorUnits > 0 { BundleText.decimal(amount.minorUnits, exponent: exponent, into: &line) }
            line.append(0x2C)
            if amount.minorUnits < 0 { BundleText.decimal(0 &- amount.minorUnits, exponent: exponent, into: &line) }
            line.append(0x2C)
            BundleText.decimal(balance, exponent: exponent, into: &line)
            let sink = try ledger(posting.accountCode)
            sink.append(line)
            try sink.endRow()
        }
        hledger.append([0x0A])
    }

    /// One FEC row: amounts in the posting's currency with a decimal comma, Montantdevise and
    /// Idevise for a currency other than the base one.
    private func fecRow(
        journal: (code: String, label: String), date: LedgerDate, account: String, name: String, party: String?,
        piece: String, description: String, amount: Money, validDate: LedgerDate
    ) throws {
        let exponent = amount.currency.exponent
        var row: [UInt8] = []
        row.reserveCapacity(256)
        row.append(contentsOf: journal.code.utf8)
        row.append(0x09)
        row.append(contentsOf: journal.label.utf8)
        row.append(0x09)
        BundleText.decimal(Int64(fecNumber), exponent: 0, into: &row)
        row.append(0x09)
        BundleText.compactDate(date, into: &row)
        row.append(0x09)
        // CompteNum, CompteLib, CompAuxNum, CompAuxLib (the party), PieceRef.
        for text in [account, name, party ?? "", party ?? "", piece] {
            BundleText.oneLine(text, into: &row)
            row.append(0x09)
        }
        BundleText.compactDate(date, into: &row)
        row.append(0x09)
        BundleText.oneLine(description, into: &row)
        row.append(0x09)
        BundleText.decimal(max(amount.minorUnits, 0), exponent: exponent, mark: 0x2C, into: &row)
        row.append(0x09)
        BundleText.decimal(amount.minorUnits < 0 ? 0 &- amount.minorUnits : 0, exponent: exponent, mark: 0x2C, into: &row)
        row.append(contentsOf: [0x09, 0x09, 0x09])
        BundleText.compactDate(validDate, into: &row)
        row.append(0x09)
        if amount.currency != baseCurrency {
            BundleText.decimal(amount.minorUnits < 0 ? 0 &- amount.minorUnits : amount.minorUnits, exponent: exponent,
                               mark: 0x2C, into: &row)
            row.append(0x09)
            row.append(contentsOf: amount.currency.code.utf8)
        } else {
            row.append(0x09)
        }
        fec.append(row)
        try fec.endRow()
    }
}

/// Renders the derived files on a second thread while the journal is read on the first: the
/// export and the verifier each spend about a third of their time on them, and the machine
/// has two cores. Entries go over in batches, with at most a few batches waiting, so memory
/// stays bounded.
///
/// `@unchecked Sendable`: after `init`, the renderer and its sinks are touched only on
/// `queue`; `finish()` waits for the queue before anyone reads them again.
final class BackgroundRenderer: @unchecked Sendable {
    private let queue = DispatchQueue(label: "neraca.audit.derived")
    private let files: DerivedFiles
    private let names: [String: String]
    private let slots = DispatchSemaphore(value: 4)
    private var batch: [PostedEntry] = []
    private var failure: (any Error)?
    static let batchSize = 512

    init(_ files: DerivedFiles, names: [String: String]) {
        self.files = files
        self.names = names
        batch.reserveCapacity(Self.batchSize)
    }

    func add(_ entry: PostedEntry) {
        batch.append(entry)
        if batch.count >= Self.batchSize { submit() }
    }

    private func submit() {
        guard !batch.isEmpty else { return }
        let entries = batch
        batch.removeAll(keepingCapacity: true)
        slots.wait()
        queue.async {
            defer { self.slots.signal() }
            guard self.failure == nil else { return }
            do {
                for entry in entries { try self.files.add(entry, names: self.names) }
            } catch {
                self.failure = error
            }
        }
    }

    /// Renders what is left and waits for it.
    /// - Throws: the first error rendering met.
    func finish() throws {
        submit()
        try queue.sync {
            if let failure { throw failure }
        }
    }
}
