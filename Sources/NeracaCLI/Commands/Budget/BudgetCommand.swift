import ArgumentParser
import Budgets
import Foundation
import LedgerCore
import LedgerStore
import Setup

/// `neraca budget …`: budget lines per district and year, their revisions, the policy and
/// budget-vs-actual reports.
struct BudgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Budget lines per district and year: load, revise, reallocate, report.",
        discussion: """
            A line is written DISTRICT/CODE (SBT/1.2) with --year. Amounts are in the line's
            currency. Every change records its reason, who approved it and when.
            """,
        subcommands: [
            BudgetPolicyCommand.self, BudgetImportCommand.self, BudgetListCommand.self, BudgetReviseCommand.self,
            BudgetMoveCommand.self, BudgetHistoryCommand.self, BudgetReportCommand.self,
        ])
}

/// `--reason`, `--approved-by`, `--approved-on`: required on every budget change.
struct ApprovalOptions: ParsableArguments {
    @Option(name: .long, help: "Why the budget changes (kept on the record).")
    var reason: String

    @Option(name: .customLong("approved-by"), help: "Who approved the change.")
    var approvedBy: String

    @Option(name: .customLong("approved-on"), help: "When it was approved (YYYY-MM-DD; default: today).")
    var approvedOn: LedgerDate?

    func approval() throws -> BudgetApproval {
        BudgetApproval(reason: reason, approvedBy: approvedBy, approvedOn: try approvedOn ?? Clock.today())
    }
}

/// `neraca budget policy`: shows the budget policy, or sets it from a YAML file.
struct BudgetPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show the budget policy, or set it from Policies/budget.yaml.")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "A budget policy file to set (e.g. Policies/budget.yaml).")
    var file: String?

    @Option(name: .customLong("changed-by"), help: "Who sets the policy (default: $NERACA_USER, else $USER).")
    var changedBy: String?

    func run() throws {
        let database = try store.openExisting()
        if let file {
            let policy = try BudgetPolicyLoader.load(path: file)
            let who = changedBy ?? AuthorOptions.currentUser
            try database.setBudgetPolicy(policy, changedBy: who, now: Clock.now())
            Output.line("budget policy set from \(file): \(policy.categories.count) categories, "
                + "\(policy.notBudgetedAccounts.count) not-budgeted accounts")
        }
        let policy = try database.budgetPolicy()
        var table = TextTable(headers: ["Category", "Over budget", "Warning at"], rightAligned: [2])
        for (code, rule) in policy.categories.sorted(by: { $0.key < $1.key }) {
            table.append([code, rule.overBudget.rawValue, "\(rule.warningPercent) %"])
        }
        Output.line(table.render())
        if !policy.notBudgetedAccounts.isEmpty {
            Output.line("not budgeted: " + policy.notBudgetedAccounts.sorted().joined(separator: ", "))
        }
    }
}

/// `neraca budget import FILE --year Y`: loads a year's budget lines from CSV.
struct BudgetImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load budget lines for a year from CSV (all lines or none).",
        discussion: "Columns: district,code,name_en,name_id,component,category,amount[,currency] (see README.md).")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The budget CSV file.")
    var file: String

    @Option(name: .long, help: "The fiscal year the lines belong to.")
    var year: Int

    @Option(name: .long, help: "Why (default: 'Budget <year> as approved').")
    var reason: String?

    @Option(name: .customLong("approved-by"), help: "Who approved the budget.")
    var approvedBy: String

    @Option(name: .customLong("approved-on"), help: "When it was approved (YYYY-MM-DD; default: today).")
    var approvedOn: LedgerDate?

    func run() throws {
        let database = try store.openExisting()
        let summary = try database.summary()
        let districts = Set(try database.districts().map(\.code))
        let categories = Set(try database.budgetPolicy().categories.keys)
        guard !categories.isEmpty else {
            throw CommandFailure("error: policy: no budget policy yet: run `neraca budget policy --file Policies/budget.yaml` first")
        }
        let lines = try BudgetFileLoader.load(path: file, context: .init(
            fiscalYear: year, baseCurrency: summary.baseCurrency, districts: districts, categories: categories))
        let approval = BudgetApproval(
            reason: reason ?? "Budget \(year) as approved", approvedBy: approvedBy,
            approvedOn: try approvedOn ?? Clock.today())
        do {
            let revision = try database.loadBudget(lines.map(\.line), approval: approval, now: Clock.now())
            Output.line("budget \(year): \(revision.changes.count) lines loaded (revision \(revision.number), \(revision.kind.rawValue))")
        } catch let error as BudgetError {
            // Point at the CSV row when the store names a line by its index.
            if let index = Self.lineIndex(error.field), index < lines.count {
                throw CommandFailure("error: \(lines[index].location): \(error.message)")
            }
            throw error
        }
    }

    /// `lines[3].category` → 3.
    static func lineIndex(_ field: String) -> Int? {
        guard field.hasPrefix("lines["), let close = field.firstIndex(of: "]") else { return nil }
        return Int(field[field.index(field.startIndex, offsetBy: 6)..<close])
    }
}

/// `neraca budget list`: the lines of a year with their original and current amounts.
struct BudgetListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List budget lines (original and revised amounts).")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The fiscal year (default: the current one).")
    var year: Int?

    @Option(name: .long, help: "Only this district's lines.")
    var district: String?

    @Option(name: .long, help: "The amounts as they stood after this revision number.")
    var revision: Int64?

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    @Option(name: .long, help: "Language of names and amounts in tables: en or id.")
    var lang: AmountLocale = .en

    func run() throws {
        let database = try store.openExisting()
        let year = try self.year ?? database.summary().fiscalCalendar.fiscalYear(of: Clock.today())
        let lines = try database.budgetLines(fiscalYear: year, district: district, asOfRevision: revision)
        Output.line(try BudgetRendering.lines(lines, format: format, locale: lang))
    }
}

/// `neraca budget revise LINE --year Y --amount A`: raises or lowers one line.
struct BudgetReviseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revise", abstract: "Set a line's budget to a new amount (a recorded revision).")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The line, DISTRICT/CODE (e.g. SBT/1.2).")
    var line: String

    @Option(name: .long, help: "The fiscal year.")
    var year: Int

    @Option(name: .long, help: "The line's new amount, in its currency.")
    var amount: String

    @OptionGroup var approval: ApprovalOptions

    func run() throws {
        let database = try store.openExisting()
        let key = try BudgetLineKey(parsing: line, fiscalYear: year, field: "line")
        let current = try BudgetRendering.line(key, in: database, field: "line")
        let money = try Money.parse(amount, currency: current.revised.currency, field: "amount")
        let revision = try database.reviseBudget(key, to: money, approval: try approval.approval(), now: Clock.now())
        Output.line(BudgetRendering.describe(revision))
    }
}

/// `neraca budget move --from LINE --to LINE --amount A --year Y`: a reallocation.
struct BudgetMoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move", abstract: "Move budget from one line to another of the same year (total unchanged).")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The line giving up budget, DISTRICT/CODE.")
    var from: String

    @Option(name: .long, help: "The line receiving it, DISTRICT/CODE.")
    var to: String

    @Option(name: .long, help: "The amount to move, in the lines' currency.")
    var amount: String

    @Option(name: .long, help: "The fiscal year.")
    var year: Int

    @OptionGroup var approval: ApprovalOptions

    func run() throws {
        let database = try store.openExisting()
        let source = try BudgetLineKey(parsing: from, fiscalYear: year, field: "from")
        let target = try BudgetLineKey(parsing: to, fiscalYear: year, field: "to")
        let current = try BudgetRendering.line(source, in: database, field: "from")
        let money = try Money.parse(amount, currency: current.revised.currency, field: "amount")
        let revision = try database.moveBudget(money, from: source, to: target, approval: try approval.approval(), now: Clock.now())
        Output.line(BudgetRendering.describe(revision))
    }
}

/// `neraca budget history --year Y [LINE]`: every revision, with amounts before and after.
struct BudgetHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List a year's budget revisions (or one line's).")

    @OptionGroup var store: StoreOptions

    @Argument(help: "Only revisions of this line, DISTRICT/CODE.")
    var line: String?

    @Option(name: .long, help: "The fiscal year.")
    var year: Int

    func run() throws {
        let key = try line.map { text throws(BudgetError) in try BudgetLineKey(parsing: text, fiscalYear: year, field: "line") }
        for revision in try store.openExisting().budgetRevisions(fiscalYear: year, line: key) {
            Output.line(BudgetRendering.describe(revision))
        }
    }
}
