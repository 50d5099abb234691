import Foundation
import LedgerCore

extension Money {
    /// `text` read as `plainDecimal` writes it, and only so (every decimal, no sign but a
    /// leading `-`): what the bundle says is what was written, or it is a problem.
    static func parsePlain(_ text: String, currency: Currency) -> Money? {
        var copy = text
        let money = copy.withUTF8 { buffer in Money.plainDecimal(buffer, currency: currency) }
        guard let money, money.plainDecimal == text else { return nil }
        return money
    }
}

/// The deep check of `journal.csv`, with `journal.jsonl` and `chain-links.csv` beside it:
/// row order, every entry rebuilt, balanced and hashed into the chain, and the sums the
/// trial balance and control totals are checked against.
struct JournalCheck {
    struct AccountCurrency: Hashable {
        let account: String
        let currency: String
    }

    struct Movement {
        var debit: Int64 = 0
        var credit: Int64 = 0
    }

    struct Totals {
        var debit: Int64 = 0
        var credit: Int64 = 0
        var entries = 0
        var postings = 0
    }

    let directory: String
    let manifest: BundleManifest
    private(set) var movements: [AccountCurrency: Movement] = [:]
    private(set) var totals: [String: Totals] = [:]
    private(set) var entries = 0
    private(set) var postings = 0

    init(directory: String, manifest: BundleManifest) {
        self.directory = directory
        self.manifest = manifest
    }

    /// The entry being read: its first row's fields and its postings so far.
    private struct PendingEntry {
        let row: Int
        let fields: [String]
        let number: EntryNumber
        var postings: [PostingDraft] = []
        var accountNames: [String] = []
        var jsonLines: [[UInt8]] = []
    }

    mutating func run(_ report: inout BundleVerifier.Report) {
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
        var links = chainLinks(&report)
        var previous = EntryHash(hex: manifest.chain.startHead) ?? .genesis
        var pending: PendingEntry?
        var last: (number: EntryNumber, line: Int)?
        var row = 0

        func finish(_ entry: PendingEntry, _ report: inout BundleVerifier.Report) {
            // Entries of other years the chain passed through before this one.
            while let link = links.first, link.after == (last.map { $0.number.description } ?? "start") {
                previous = link.hash
                links.removeFirst()
            }
            check(entry, previous: &previous, &report)
        }

        while let line = reader.next() {
            row += 1
            guard let fields = CSVLine.fields(line), fields.count == JournalRow.columns.count else {
                report.add(BundleProblem(file: file, row: row, message: "not a journal row (\(JournalRow.columns.count) fields)"))
                continue
            }
            let jsonLine = jsonl?.next().map(Array.init)
            guard let number = try? EntryNumber(parsing: fields[0]), let lineIndex = Int(fields[1]) else {
                report.add(BundleProblem(file: file, row: row, field: "entry", message: "'\(fields[0])' line '\(fields[1])' is not an entry and line"))
                continue
            }
            if let current = pending, current.number != number {
                finish(current, &report)
                last = (current.number, current.postings.count - 1)
                pending = nil
            }
            if pending == nil {
                if let last, !(last.number < number) {
                    report.add(BundleProblem(file: file, row: row, field: "entry",
                                             message: "\(number) comes after \(last.number): rows are out of order"))
                } else if let last, number.fiscalYear == last.number.fiscalYear, number.sequence != last.number.sequence + 1 {
                    report.add(BundleProblem(file: file, row: row, field: "entry",
                                             message: "\(number) follows \(last.number): entries are missing"))
                }
                if number.fiscalYear != manifest.fiscalYear {
                    report.add(BundleProblem(file: file, row: row, field: "entry", message: "\(number) is not of fiscal year \(manifest.fiscalYear)"))
                }
                pending = PendingEntry(row: row, fields: fields, number: number)
            }
            guard var entry = pending else { continue }
            if lineIndex != entry.postings.count {
                report.add(BundleProblem(file: file, row: row, field: "line",
                                         message: "\(number) line \(lineIndex) where line \(entry.postings.count) was expected: rows are missing or out of order"))
            }
            for index in [2, 3, 4, 5, 6, 7, 8, 9, 10, 22] where fields[index] != entry.fields[index] {
                report.add(BundleProblem(file: file, row: row, field: JournalRow.columns[index],
                                         message: "differs from the first row of \(number)"))
            }
            guard let posting = posting(fields, row: row, &report) else {
                pending = entry
                continue
            }
            entry.postings.append(posting)
            entry.accountNames.append(fields[12])
            if let jsonLine { entry.jsonLines.append(jsonLine) } else if jsonl != nil {
                report.add(BundleProblem(file: BundleLayout.journalJSONL, row: row, message: "ends before journal.csv"))
            }
            pending = entry
        }
        if let current = pending {
            finish(current, &report)
        }
        if jsonl?.next() != nil {
            report.add(BundleProblem(file: BundleLayout.journalJSONL, row: row + 1, message: "has rows journal.csv does not"))
        }
        for link in links {
            report.add(BundleProblem(file: BundleLayout.chainLinks, field: "after", message: "\(link.number) after \(link.after) is not on the chain"))
        }
        if previous.hex != manifest.chain.endHead {
            report.add(BundleProblem(file: BundleManifest.fileName, field: "chain.endHead",
                                     message: "the journal's chain ends at \(previous.hex), the manifest says \(manifest.chain.endHead)"))
        }
    }

    private func chainLinks(_ report: inout BundleVerifier.Report) -> [(after: String, number: String, hash: EntryHash)] {
        let file = BundleLayout.chainLinks
        guard let reader = LineReader(path: directory + "/" + file) else {
            report.add(BundleProblem(file: file, message: "missing"))
            return []
        }
        _ = reader.next()
        var links: [(after: String, number: String, hash: EntryHash)] = []
        var row = 0
        while let line = reader.next() {
            row += 1
            guard let fields = CSVLine.fields(line), fields.count == 3, let hash = EntryHash(hex: fields[2]) else {
                report.add(BundleProblem(file: file, row: row, message: "not a chain link"))
                continue
            }
            links.append((fields[0], fields[1], hash))
        }
        return links
    }

    /// The posting of a row, counted into the sums; nil (with a problem) when a field is bad.
    private mutating func posting(_ fields: [String], row: Int, _ report: inout BundleVerifier.Report) -> PostingDraft? {
        let file = BundleLayout.journalCSV
        guard let currency = Currency.known[fields[15]] else {
            report.add(BundleProblem(file: file, row: row, field: "currency", message: "'\(fields[15])' is not a currency"))
            return nil
        }
        let debit = fields[13].isEmpty ? nil : Money.parsePlain(fields[13], currency: currency)
        let credit = fields[14].isEmpty ? nil : Money.parsePlain(fields[14], currency: currency)
        let amount: Int64
        switch (fields[13].isEmpty, fields[14].isEmpty, debit, credit) {
        case (false, true, let debit?, _) where debit.minorUnits > 0: amount = debit.minorUnits
        case (true, false, _, let credit?) where credit.minorUnits > 0: amount = 0 &- credit.minorUnits
        default:
            report.add(BundleProblem(file: file, row: row, field: fields[13].isEmpty ? "credit" : "debit",
                                     message: "needs one positive amount in \(currency.code), debit or credit"))
            return nil
        }
        let key = AccountCurrency(account: fields[11], currency: currency.code)
        var movement = movements[key] ?? Movement()
        var total = totals[currency.code] ?? Totals()
        if amount > 0 {
            movement.debit &+= amount
            total.debit &+= amount
        } else {
            movement.credit &+= 0 &- amount
            total.credit &+= 0 &- amount
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
    private mutating func check(_ entry: PendingEntry, previous: inout EntryHash, _ report: inout BundleVerifier.Report) {
        let file = BundleLayout.journalCSV
        let fields = entry.fields
        entries += 1
        var sums: [Currency: Int64] = [:]
        for posting in entry.postings { sums[posting.amount.currency, default: 0] &+= posting.amount.minorUnits }
        for currency in sums.keys { totals[currency.code, default: Totals()].entries += 1 }
        for (currency, sum) in sums.sorted(by: { $0.key.code < $1.key.code }) where sum != 0 {
            report.add(BundleProblem(
                file: file, row: entry.row, field: sum > 0 ? "debit" : "credit",
                message: "\(entry.number) does not balance in \(currency.code): debits exceed credits by "
                    + Money(minorUnits: sum, currency: currency).plainDecimal))
        }
        func optional(_ index: Int) -> String? { fields[index].isEmpty ? nil : fields[index] }
        guard let date = try? LedgerDate(parsing: fields[2]), let postedAt = Int64(fields[3]),
              let source = EntrySource(rawValue: fields[6]) else {
            report.add(BundleProblem(file: file, row: entry.row, field: "date", message: "\(entry.number) has a bad date, posted_at_ms or source"))
            return
        }
        let rate = optional(9).flatMap { try? ExchangeRate(parsing: $0) }
        let reverses = optional(10).flatMap { try? EntryNumber(parsing: $0) }
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
        // journal.jsonl holds the same rows: rendered again, they must be its lines byte for byte.
        for (index, jsonLine) in entry.jsonLines.enumerated() {
            guard index < entry.postings.count else { break }
            let posted = PostedEntry(id: ID(rawValue: 0), number: entry.number, draft: draft,
                                     postedAt: Timestamp(millisecondsSince1970: postedAt), reverses: reverses, reversedBy: nil,
                                     hash: EntryHash(hex: fields[22]) ?? hash)
            var expected: [UInt8] = []
            JournalRow.jsonl(JournalRow.values(posted, line: index, accountName: entry.accountNames[index],
                                               entryNumber: entry.number.description, entryHash: fields[22]), into: &expected)
            if expected != jsonLine {
                report.add(BundleProblem(file: BundleLayout.journalJSONL, row: entry.row + index,
                                         field: differingField(jsonLine, expected),
                                         message: "\(entry.number) line \(index) differs from journal.csv"))
            }
        }
    }

    /// The first JSON member whose value differs, by name.
    private func differingField(_ found: [UInt8], _ expected: [UInt8]) -> String? {
        guard let a = try? JSONSerialization.jsonObject(with: Data(found)) as? [String: Any],
              let b = try? JSONSerialization.jsonObject(with: Data(expected)) as? [String: Any] else { return nil }
        return JournalRow.columns.first { "\(a[$0] ?? "absent")" != "\(b[$0] ?? "absent")" }
    }
}
