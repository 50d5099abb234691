import Foundation
import LedgerCore

extension Money {
    /// `text` read as `plainDecimal` writes it, and only so (every decimal, no sign but a
    /// leading `-`, at most `limit` minor units): what the bundle says is what was written,
    /// or it is a problem. A posting's limit is `Limits.amountMinorUnitsMax`; balances, sums
    /// of many postings, may be larger.
    static func parsePlain(_ text: String, currency: Currency, limit: Int64 = Int64.max) -> Money? {
        var copy = text
        let money = copy.withUTF8 { buffer in Money.plainDecimal(buffer, currency: currency) }
        guard let money, money.plainDecimal == text, money.minorUnits.magnitude <= UInt64(limit) else { return nil }
        return money
    }
}

/// Sums that report, rather than wrap, past Int64.
struct CheckedSum {
    private(set) var value: Int64 = 0
    private(set) var overflowed = false

    mutating func add(_ amount: Int64) {
        let (sum, overflow) = value.addingReportingOverflow(amount)
        if overflow { overflowed = true } else { value = sum }
    }
}

/// An account in a currency: a row of the trial balance, a running balance.
struct AccountCurrency: Hashable, Comparable {
    let account: String
    let currency: String

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.account, lhs.currency) < (rhs.account, rhs.currency) }
}

/// The deep check of `journal.csv`, with `journal.jsonl` and `chain-links.csv` beside it:
/// row order, every entry rebuilt, balanced and hashed into the chain, the derived files
/// rendered again, and the sums the trial balance and control totals are checked against.
struct JournalCheck {
    struct Movement {
        var debit = CheckedSum()
        var credit = CheckedSum()
    }

    struct Totals {
        var debit = CheckedSum()
        var credit = CheckedSum()
        var entries = 0
        var postings = 0
    }

    /// A row of `chain-links.csv`.
    struct Link {
        let row: Int
        let after: String
        let number: String
        let canonical: [UInt8]
        let hash: EntryHash
    }

    let directory: String
    let manifest: BundleManifest
    /// Account code → English name, from `accounts.csv`.
    let names: [String: String]
    private(set) var movements: [AccountCurrency: Movement] = [:]
    private(set) var totals: [String: Totals] = [:]
    private(set) var entries = 0
    private(set) var postings = 0
    /// Whether every entry could be rendered into the derived files (a bad row stops that,
    /// and its own problem says why).
    private(set) var derivedComplete = true

    init(directory: String, manifest: BundleManifest, names: [String: String]) {
        self.directory = directory
        self.manifest = manifest
        self.names = names
    }

    /// The entry being read: its first row's fields and its postings so far.
    private struct PendingEntry {
        let row: Int
        let fields: [String]
        let number: EntryNumber
        var postings: [PostingDraft] = []
        var accountNames: [String] = []
        var jsonLines: [(row: Int, line: [UInt8])] = []
    }

    /// Reads the journal; renders the derived files into `derived` as it goes.
    mutating func run(derived: DerivedFiles?, _ report: inout BundleVerifier.Report) {
        let renderer = derived.map { BackgroundRenderer($0, names: names) }
        defer {
            do {
                try renderer?.finish()
            } catch {
                derivedComplete = false
                report.add(BundleProblem(file: BundleLayout.journalCSV, message: "the derived files cannot be rendered: \(error)"))
            }
        }
        let file = BundleLayout.journalCSV
        guard let reader = LineReader(path: directory + "/" + file) else {
            report.add(BundleProblem(file: file, message: "missing"))
            return
        }
        guard let header = reader.next(), CSVLine.fields(header) == JournalRow.columns else {
            report.add(BundleProblem(file: file, row: 0, message: "the header is not the journal's columns"))
            return
        }
        let jsonl = LineReader(path: directory + "/" + BundleLayout.journalJSONL)
        if jsonl == nil { report.add(BundleProblem(file: BundleLayout.journalJSONL, message: "missing")) }
        let links = chainLinks(&report)
        var nextLink = 0
        guard var previous = EntryHash(hex: manifest.chain.startHead) else {
            report.add(BundleProblem(file: BundleManifest.fileName, field: "chain.startHead",
                                     message: "'\(manifest.chain.startHead)' is not a SHA-256"))
            return
        }
        var pending: PendingEntry?
        var last: EntryNumber?
        var row = 0
        if derived == nil { derivedComplete = false }

        func finish(_ entry: PendingEntry, _ report: inout BundleVerifier.Report) {
            // Entries of other years the chain passed through before this one, in order.
            let anchor = last?.description ?? "start"
            while nextLink < links.count, links[nextLink].after == anchor {
                let link = links[nextLink]
                let hash = EntryHash.chained(previous: previous, canonical: link.canonical)
                if hash != link.hash {
                    report.add(BundleProblem(file: BundleLayout.chainLinks, row: link.row, field: "entry_hash",
                                             message: "\(link.number) does not follow the entry before it in the chain"))
                }
                previous = link.hash
                nextLink += 1
            }
            let posted = check(entry, previous: &previous, &report)
            if posted == nil { derivedComplete = false }
            if let posted, derivedComplete { renderer?.add(posted) }
            last = entry.number
        }

        while let line = reader.next() {
            row += 1
            let jsonLine = jsonl?.next().map(Array.init)
            if jsonl != nil, jsonLine == nil, jsonl?.failure == nil {
                report.add(BundleProblem(file: BundleLayout.journalJSONL, row: row, message: "ends before journal.csv"))
            }
            guard let fields = CSVLine.fields(line), fields.count == JournalRow.columns.count else {
                report.add(BundleProblem(file: file, row: row, message: "not a journal row (\(JournalRow.columns.count) fields)"))
                continue
            }
            guard let number = try? EntryNumber(parsing: fields[0]) else {
                report.add(BundleProblem(file: file, row: row, field: "entry", message: "'\(fields[0])' is not an entry number"))
                continue
            }
            guard let lineIndex = Int(fields[1]) else {
                report.add(BundleProblem(file: file, row: row, field: "line", message: "'\(fields[1])' is not a line number"))
                continue
            }
            if let current = pending, current.number != number {
                finish(current, &report)
                pending = nil
            }
            if pending == nil {
                if let last, !(last < number) {
                    report.add(BundleProblem(file: file, row: row, field: "entry",
                                             message: "\(number) comes after \(last): rows are out of order"))
                } else if number.fiscalYear != manifest.fiscalYear {
                    report.add(BundleProblem(file: file, row: row, field: "entry",
                                             message: "\(number) is not of fiscal year \(manifest.fiscalYear)"))
                } else if number.sequence != (last?.sequence ?? 0) + 1 {
                    let before = last.map { "follows \($0)" } ?? "is the year's first"
                    report.add(BundleProblem(file: file, row: row, field: "entry", message: "\(number) \(before): entries are missing"))
                }
                pending = PendingEntry(row: row, fields: fields, number: number)
            }
            guard var entry = pending else { continue }
            if lineIndex != entry.postings.count {
                report.add(BundleProblem(
                    file: file, row: row, field: "line",
                    message: "\(number) line \(lineIndex) where line \(entry.postings.count) was expected: rows are missing or out of order"))
            }
            for index in [2, 3, 4, 5, 6, 7, 8, 9, 10, 22] where fields[index] != entry.fields[index] {
                report.add(BundleProblem(file: file, row: row, field: JournalRow.columns[index],
                                         message: "differs from the first row of \(number)"))
            }
            BundleVerifier.checkAccount(fields[11], named: fields[12], against: names, file: file, row: row, &report)
            if let posting = posting(fields, row: row, &report) {
                entry.postings.append(posting)
                entry.accountNames.append(fields[12])
                if let jsonLine { entry.jsonLines.append((row, jsonLine)) }
            } else {
                derivedComplete = false
            }
            pending = entry
        }
        if let failure = reader.failure { report.add(BundleProblem(file: file, row: row + 1, message: failure)) }
        if let failure = jsonl?.failure { report.add(BundleProblem(file: BundleLayout.journalJSONL, message: failure)) }
        if let current = pending { finish(current, &report) }
        if jsonl?.next() != nil {
            report.add(BundleProblem(file: BundleLayout.journalJSONL, row: row + 1, message: "has rows journal.csv does not"))
        }
        for link in links[nextLink...] {
            report.add(BundleProblem(file: BundleLayout.chainLinks, row: link.row, field: "after",
                                     message: "\(link.number) after \(link.after) is not on the chain"))
        }
        if previous.hex != manifest.chain.endHead {
            report.add(BundleProblem(file: BundleManifest.fileName, field: "chain.endHead",
                                     message: "the journal's chain ends at \(previous.hex), the manifest says \(manifest.chain.endHead)"))
        }
    }

    private func chainLinks(_ report: inout BundleVerifier.Report) -> [Link] {
        let file = BundleLayout.chainLinks
        guard let reader = LineReader(path: directory + "/" + file) else {
            report.add(BundleProblem(file: file, message: "missing"))
            return []
        }
        guard let header = reader.next(), CSVLine.fields(header) == BundleLayout.chainLinkColumns else {
            report.add(BundleProblem(file: file, row: 0, message: "the header is not \(BundleLayout.chainLinkColumns.joined(separator: ","))"))
            return []
        }
        var links: [Link] = []
        var row = 0
        while let line = reader.next() {
            row += 1
            guard let fields = CSVLine.fields(line), fields.count == 4, let hash = EntryHash(hex: fields[3]),
                  let canonical = Self.bytes(hex: fields[2]) else {
                report.add(BundleProblem(file: file, row: row, message: "not a chain link"))
                continue
            }
            // The canonical bytes name the entry they are: magic, then its number.
            let magic = CanonicalEncoding.entryMagic
            let named = canonical.count > magic.count + 4 && Array(canonical[0..<magic.count]) == magic
                ? String(decoding: canonical.dropFirst(magic.count + 4).prefix(fields[1].utf8.count), as: UTF8.self) : nil
            guard let number = try? EntryNumber(parsing: fields[1]), number.fiscalYear != manifest.fiscalYear, named == fields[1]
            else {
                report.add(BundleProblem(file: file, row: row, field: "entry",
                                         message: "'\(fields[1])' is not an entry of another year that these bytes are"))
                continue
            }
            links.append(Link(row: row, after: fields[0], number: fields[1], canonical: canonical, hash: hash))
        }
        return links
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 0x30...0x39: return digit - 0x30
            case 0x61...0x66: return digit - 0x61 + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The posting of a row, counted into the sums; nil (with a problem) when a field is bad.
    private mutating func posting(_ fields: [String], row: Int, _ report: inout BundleVerifier.Report) -> PostingDraft? {
        let file = BundleLayout.journalCSV
        guard let currency = Currency.known[fields[15]] else {
            report.add(BundleProblem(file: file, row: row, field: "currency", message: "'\(fields[15])' is not a currency"))
            return nil
        }
        let limit = Limits.amountMinorUnitsMax
        let debit = fields[13].isEmpty ? nil : Money.parsePlain(fields[13], currency: currency, limit: limit)
        let credit = fields[14].isEmpty ? nil : Money.parsePlain(fields[14], currency: currency, limit: limit)
        let amount: Int64
        switch (fields[13].isEmpty, fields[14].isEmpty, debit, credit) {
        case (false, true, let debit?, _) where debit.minorUnits > 0: amount = debit.minorUnits
        case (true, false, _, let credit?) where credit.minorUnits > 0: amount = 0 &- credit.minorUnits
        default:
            report.add(BundleProblem(file: file, row: row, field: fields[13].isEmpty ? "credit" : "debit",
                                     message: "needs one positive amount in \(currency.code) within the ledger's limits, debit or credit"))
            return nil
        }
        let key = AccountCurrency(account: fields[11], currency: currency.code)
        var movement = movements[key] ?? Movement()
        var total = totals[currency.code] ?? Totals()
        if amount > 0 {
            movement.debit.add(amount)
            total.debit.add(amount)
        } else {
            movement.credit.add(0 &- amount)
            total.credit.add(0 &- amount)
        }
        total.postings += 1
        movements[key] = movement
        totals[currency.code] = total
        postings += 1
        func optional(_ index: Int) -> String? { fields[index].isEmpty ? nil : fields[index] }
        return PostingDraft(
            accountCode: fields[11], amount: Money(minorUnits: amount, currency: currency),
            dimensions: Dimensions(district: optional(16), budgetLine: optional(17), activity: optional(18),
                                   fundingSource: optional(19), party: optional(20)),
            memo: optional(21))
    }

    /// Balance, hash and JSON Lines of a whole entry.
    /// - Returns: the entry, rebuilt, when its fields could be read.
    private mutating func check(_ entry: PendingEntry, previous: inout EntryHash, _ report: inout BundleVerifier.Report)
        -> PostedEntry? {
        let file = BundleLayout.journalCSV
        let fields = entry.fields
        entries += 1
        var sums: [Currency: CheckedSum] = [:]
        for posting in entry.postings { sums[posting.amount.currency, default: CheckedSum()].add(posting.amount.minorUnits) }
        for currency in sums.keys { totals[currency.code, default: Totals()].entries += 1 }
        for (currency, sum) in sums.sorted(by: { $0.key.code < $1.key.code }) where sum.value != 0 || sum.overflowed {
            report.add(BundleProblem(
                file: file, row: entry.row, field: sum.value > 0 ? "debit" : "credit",
                message: "\(entry.number) does not balance in \(currency.code): "
                    + (sum.overflowed ? "its amounts add up past what can be counted"
                        : "debits exceed credits by " + Money(minorUnits: sum.value, currency: currency).plainDecimal)))
        }
        func optional(_ index: Int) -> String? { fields[index].isEmpty ? nil : fields[index] }
        func bad(_ index: Int, _ what: String) -> PostedEntry? {
            report.add(BundleProblem(file: file, row: entry.row, field: JournalRow.columns[index],
                                     message: "\(entry.number): '\(fields[index])' is not \(what)"))
            return nil
        }
        guard let date = try? LedgerDate(parsing: fields[2]) else { return bad(2, "a date") }
        guard let postedAt = Int64(fields[3]) else { return bad(3, "milliseconds since 1970") }
        guard let source = EntrySource(rawValue: fields[6]) else { return bad(6, "an entry source") }
        var rate: ExchangeRate?
        if let text = optional(9) {
            guard let parsed = try? ExchangeRate(parsing: text) else { return bad(9, "an exchange rate") }
            rate = parsed
        }
        var reverses: EntryNumber?
        if let text = optional(10) {
            guard let parsed = try? EntryNumber(parsing: text) else { return bad(10, "an entry number") }
            reverses = parsed
        }
        let draft = EntryDraft(date: date, description: fields[4], reference: optional(5), source: source, author: fields[7],
                               idempotencyKey: optional(8), exchangeRate: rate, postings: entry.postings)
        var canonical: [UInt8] = []
        CanonicalEncoding.appendEntry(draft, number: entry.number, postedAt: Timestamp(millisecondsSince1970: postedAt),
                                      reverses: reverses, to: &canonical)
        let hash = EntryHash.chained(previous: previous, canonical: canonical)
        if hash.hex != fields[22] {
            report.add(BundleProblem(file: file, row: entry.row, field: "entry_hash",
                                     message: "\(entry.number): its rows do not give its hash; a value, a row or the order was changed"))
        }
        previous = EntryHash(hex: fields[22]) ?? hash
        let posted = PostedEntry(id: ID(rawValue: 0), number: entry.number, draft: draft,
                                 postedAt: Timestamp(millisecondsSince1970: postedAt), reverses: reverses, reversedBy: nil,
                                 hash: previous)
        // journal.jsonl holds the same rows: rendered again, they must be its lines byte for byte.
        for (index, json) in entry.jsonLines.enumerated() where index < entry.postings.count {
            var expected: [UInt8] = []
            JournalRow.jsonl(JournalRow.values(posted, line: index, accountName: entry.accountNames[index],
                                               entryNumber: entry.number.description, entryHash: fields[22]), into: &expected)
            if expected != json.line {
                report.add(BundleProblem(file: BundleLayout.journalJSONL, row: json.row, field: differingField(json.line, expected),
                                         message: "\(entry.number) line \(index) differs from journal.csv"))
            }
        }
        return posted
    }

    /// The first JSON member whose value differs, by name.
    private func differingField(_ found: [UInt8], _ expected: [UInt8]) -> String? {
        guard let a = try? JSONSerialization.jsonObject(with: Data(found)) as? [String: Any],
              let b = try? JSONSerialization.jsonObject(with: Data(expected)) as? [String: Any] else { return nil }
        return JournalRow.columns.first { "\(a[$0] ?? "absent")" != "\(b[$0] ?? "absent")" }
    }
}
