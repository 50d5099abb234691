import Budgets
import FeeClaims
import Foundation
import FraudRules
import LedgerCore
import LedgerStore

/// One export in progress: the files of `BundleLayout`, written from one snapshot.
struct BundleWriting {
    let reader: ExportReader
    let directory: String
    let fiscalYear: Int

    /// A balance key of the trial balance and general ledger.
    struct AccountCurrency: Hashable, Comparable {
        let account: String
        let currency: Currency

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.account, lhs.currency.code) < (rhs.account, rhs.currency.code) }
    }

    /// Debits and credits, in minor units, overflow-checked.
    struct Movement {
        var debit: Int64 = 0
        var credit: Int64 = 0

        mutating func add(_ amount: Int64) throws {
            let (sum, overflow) = amount > 0 ? debit.addingReportingOverflow(amount) : credit.addingReportingOverflow(0 &- amount)
            guard !overflow else { throw LedgerError.amountOverflow(field: "movement") }
            if amount > 0 { debit = sum } else { credit = sum }
        }
    }

    func write(toolVersion: String, now: Timestamp) throws -> BundleManifest {
        let ledger = try reader.ledger()
        guard let first = ledger.calendar.firstDay(ofFiscalYear: fiscalYear),
              let last = ledger.calendar.lastDay(ofFiscalYear: fiscalYear),
              let dayBefore = LedgerDate(dayNumber: first.dayNumber - 1) else { throw ExportError.yearInvalid(fiscalYear) }
        let accounts = reader.accounts()
        var names: [String: String] = [:]
        for account in accounts { names[account.code] = account.nameEn }
        let opening = try reader.trialBalance(asOf: dayBefore)
        var files = [try writeAccounts(accounts)]
        let journal = try writeJournal(names: names, opening: opening, firstDay: first)
        files += journal.files
        files.append(try writeTrialBalance(names: names, opening: opening, movements: journal.movements))
        let chain = try reader.chain(fiscalYear: fiscalYear)
        files.append(try writeChainLinks(chain))
        files.append(try writeBudget())
        files += try writeClaims()
        files.append(try writeFindings())
        files.append(try writeReadme())
        let totals = journal.totals.sorted { $0.key.code < $1.key.code }.map { currency, total in
            BundleManifest.ControlTotal(
                currency: currency.code, debit: Money(minorUnits: total.movement.debit, currency: currency).plainDecimal,
                credit: Money(minorUnits: total.movement.credit, currency: currency).plainDecimal, entries: total.entries,
                postings: total.postings)
        }
        return BundleManifest(
            format: BundleManifest.formatName, tool: toolVersion, ledger: ledger.name, organisation: ledger.organisation,
            baseCurrency: ledger.baseCurrency.code, fiscalYear: fiscalYear, periodStart: first.description,
            periodEnd: last.description, generatedAt: BundleText.iso(now), entries: journal.entries,
            postings: journal.postings,
            chain: BundleManifest.Chain(startHead: chain.startHead.hex, endHead: chain.endHead.hex),
            controlTotals: totals, files: files.sorted { $0.path < $1.path })
    }

    private func table(_ path: String, _ columns: [String], keepOpen: Bool = true, bufferBytes: Int = 1 << 20) throws
        -> BundleFileWriter {
        let writer = try BundleFileWriter(directory: directory, relativePath: path, keepOpen: keepOpen, bufferBytes: bufferBytes)
        writer.append(columns.joined(separator: ","))
        try writer.endHeader()
        return writer
    }

    private func row(_ writer: BundleFileWriter, _ values: [String?]) throws {
        var bytes: [UInt8] = []
        JournalRow.csv(values, into: &bytes)
        writer.append(bytes)
        try writer.endRow()
    }

    // MARK: - Accounts

    private func writeAccounts(_ accounts: [Account]) throws -> BundleManifest.File {
        let writer = try table(BundleLayout.accounts, BundleLayout.accountColumns)
        for account in accounts {
            try row(writer, [account.code, account.nameEn, account.nameId, account.type.rawValue, account.parentCode,
                             account.currency?.code, account.opensOn?.description, account.closesOn?.description,
                             BundleLayout.generalLedgerFile(account.code)])
        }
        return try writer.finish()
    }

    // MARK: - The journal pass

    struct JournalPass {
        var files: [BundleManifest.File] = []
        var movements: [AccountCurrency: Movement] = [:]
        var totals: [Currency: (movement: Movement, entries: Int, postings: Int)] = [:]
        var entries = 0
        var postings = 0
    }

    /// journal.csv, journal.jsonl, fec.txt, ledger.journal and the general ledger, in one
    /// pass over the year's entries.
    private func writeJournal(names: [String: String], opening: TrialBalance, firstDay: LedgerDate) throws -> JournalPass {
        var pass = JournalPass()
        let csv = try table(BundleLayout.journalCSV, JournalRow.columns)
        let jsonl = try BundleFileWriter(directory: directory, relativePath: BundleLayout.journalJSONL)
        let fec = try BundleFileWriter(directory: directory, relativePath: BundleLayout.fec)
        let hledger = try BundleFileWriter(directory: directory, relativePath: BundleLayout.ledgerJournal)
        // The general ledger: a file per account, each opened only to flush.
        var ledgerFiles: [BundleFileWriter] = []
        let derived = try DerivedFiles(
            fiscalYear: fiscalYear, baseCurrency: reader.baseCurrency, fec: fec, hledger: hledger,
            makeLedger: { code in
                let writer = try table(BundleLayout.generalLedgerFile(code), BundleLayout.generalLedgerColumns, keepOpen: false,
                                       bufferBytes: 1 << 16)
                ledgerFiles.append(writer)
                return writer
            })
        try derived.open(opening.lines.map { ($0.accountCode, $0.net) }, firstDay: firstDay, names: names)
        let renderer = BackgroundRenderer(derived, names: names)

        var line: [UInt8] = []
        line.reserveCapacity(1024)
        try reader.forEachEntry(fiscalYear: fiscalYear) { entry in
            let number = entry.number.description
            let hash = entry.hash.hex
            pass.entries += 1
            var currencies: Set<Currency> = []
            for (index, posting) in entry.draft.postings.enumerated() {
                let values = JournalRow.values(entry, line: index, accountName: names[posting.accountCode] ?? "",
                                               entryNumber: number, entryHash: hash)
                line.removeAll(keepingCapacity: true)
                JournalRow.csv(values, into: &line)
                csv.append(line)
                try csv.endRow()
                line.removeAll(keepingCapacity: true)
                JournalRow.jsonl(values, into: &line)
                jsonl.append(line)
                try jsonl.endRow()
                let amount = posting.amount
                try pass.movements[AccountCurrency(account: posting.accountCode, currency: amount.currency), default: Movement()]
                    .add(amount.minorUnits)
                try pass.totals[amount.currency, default: (Movement(), 0, 0)].movement.add(amount.minorUnits)
                pass.totals[amount.currency]?.postings += 1
                currencies.insert(amount.currency)
                pass.postings += 1
            }
            for currency in currencies { pass.totals[currency]?.entries += 1 }
            renderer.add(entry)
        }
        try renderer.finish()
        pass.files = [try csv.finish(), try jsonl.finish(), try fec.finish(), try hledger.finish(countsRows: false)]
        for writer in ledgerFiles { pass.files.append(try writer.finish()) }
        return pass
    }

    // MARK: - Trial balance and chain

    private func writeTrialBalance(names: [String: String], opening: TrialBalance, movements: [AccountCurrency: Movement]) throws
        -> BundleManifest.File {
        var openings: [AccountCurrency: Int64] = [:]
        for line in opening.lines { openings[AccountCurrency(account: line.accountCode, currency: line.net.currency)] = line.net.minorUnits }
        let writer = try table(BundleLayout.trialBalance, BundleLayout.trialBalanceColumns)
        for key in Set(openings.keys).union(movements.keys).sorted() {
            let open = openings[key] ?? 0
            let movement = movements[key] ?? Movement()
            let (afterDebit, overflowA) = open.addingReportingOverflow(movement.debit)
            let (closing, overflowB) = afterDebit.subtractingReportingOverflow(movement.credit)
            guard !overflowA, !overflowB else { throw LedgerError.amountOverflow(field: "closing balance") }
            func money(_ value: Int64) -> String { Money(minorUnits: value, currency: key.currency).plainDecimal }
            try row(writer, [key.account, names[key.account] ?? "", key.currency.code,
                             money(max(open, 0)), money(open < 0 ? 0 &- open : 0), money(movement.debit), money(movement.credit),
                             money(max(closing, 0)), money(closing < 0 ? 0 &- closing : 0)])
        }
        return try writer.finish()
    }

    private func writeChainLinks(_ chain: ChainSegment) throws -> BundleManifest.File {
        let writer = try table(BundleLayout.chainLinks, BundleLayout.chainLinkColumns)
        for link in chain.links {
            try row(writer, [link.after?.description ?? "start", link.number.description, Self.hex(link.canonical), link.hash.hex])
        }
        return try writer.finish()
    }

    // MARK: - Budget, claims, findings

    private func writeBudget() throws -> BundleManifest.File {
        let writer = try table(BundleLayout.budget, BundleLayout.budgetColumns)
        let lines = try reader.budgetFigures(fiscalYear: fiscalYear).sorted { $0.line.line.key < $1.line.line.key }
        for figures in lines {
            let line = figures.line.line
            let numbers = figures.figures
            try row(writer, [String(line.key.fiscalYear), line.key.district, line.key.code, line.nameEn, line.component,
                             line.category, numbers.revised.currency.code, numbers.original.plainDecimal,
                             numbers.revised.plainDecimal, numbers.actual.plainDecimal, numbers.committed.plainDecimal,
                             numbers.available.plainDecimal])
        }
        return try writer.finish()
    }

    private func writeClaims() throws -> [BundleManifest.File] {
        let claims = try table(BundleLayout.claims, BundleLayout.claimColumns)
        let events = try table(BundleLayout.claimEvents, BundleLayout.claimEventColumns)
        var receipts: [EntryHash: Receipt.MediaType] = [:]
        try reader.forEachClaim(fiscalYear: fiscalYear) { detail in
            let claim = detail.snapshot
            let header = claim.header
            try row(claims, [claim.number.description, header.claimant, header.district, header.budgetLine, header.activity,
                             header.activityFrom.description, header.activityTo.description, claim.state.rawValue,
                             String(claim.version), claim.amount.plainDecimal, claim.amount.currency.code,
                             claim.approvals.joined(separator: " "), detail.receipts.map(\.sha256.hex).joined(separator: " ")])
            for event in detail.events {
                try row(events, [event.claim.description, String(event.sequence), String(event.version), event.action,
                                 event.actor, BundleText.iso(event.at), event.from?.rawValue, event.to.rawValue, event.comment,
                                 event.versionHash.hex])
            }
            for receipt in detail.receipts { receipts[receipt.sha256] = receipt.mediaType }
        }
        var files = [try claims.finish(), try events.finish()]
        for (sha256, type) in receipts.sorted(by: { $0.key.hex < $1.key.hex }) {
            guard let content = try reader.receiptContent(sha256) else { throw ExportError.receiptMissing(sha256: sha256.hex) }
            let writer = try BundleFileWriter(directory: directory, relativePath: BundleLayout.receipts + "/" + sha256.hex
                                                + "." + Self.fileExtension(type))
            try writer.write(contents: content)
            files.append(try writer.finish(countsRows: false))
        }
        return files
    }

    /// Lower-case hexadecimal of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func fileExtension(_ type: Receipt.MediaType) -> String {
        switch type {
        case .pdf: return "pdf"
        case .jpeg: return "jpg"
        case .png: return "png"
        }
    }

    private func writeFindings() throws -> BundleManifest.File {
        let writer = try table(BundleLayout.findings, BundleLayout.findingColumns)
        for record in try reader.findings() {
            let stored = record.finding
            let finding = stored.finding
            let decisions = record.decisions.map { "\($0.decision) by \($0.actor) at \(BundleText.iso($0.at)): \($0.reason)" }
            try row(writer, [stored.id, finding.rule.rawValue, finding.action.rawValue, finding.subject, finding.subjectPerson,
                             finding.related.joined(separator: " "), finding.evidence, BundleText.iso(stored.foundAt),
                             stored.status, decisions.joined(separator: " | "),
                             record.acknowledgements.map { "\($0.actor) at \(BundleText.iso($0.at))" }.joined(separator: " | ")])
        }
        return try writer.finish()
    }

    private func writeReadme() throws -> BundleManifest.File {
        let writer = try BundleFileWriter(directory: directory, relativePath: BundleLayout.readme)
        writer.append(BundleReadme.text)
        return try writer.finish(countsRows: false)
    }
}
