import ArgumentParser
import Budgets
import FeeClaims
import Foundation
import LedgerCore
import LedgerStore
import Setup

/// `neraca claim …`: fee claims from draft to payment, every step on the record.
struct ClaimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim",
        abstract: "Fee claims: draft, submit, approve, post, pay — with segregation of duties.",
        discussion: """
            Every action names the acting person with --as (recorded on the claim's event trail).
            Claims are numbered FC-DISTRICT-YEAR-NNNN.
            """,
        subcommands: [
            ClaimPolicyCommand.self, ClaimNewCommand.self, ClaimLineCommand.self, ClaimAttachCommand.self,
            ClaimActionCommand<Submit>.self, ClaimActionCommand<Withdraw>.self, ClaimApproveCommand.self,
            ClaimActionCommand<Return>.self, ClaimActionCommand<Reject>.self, ClaimActionCommand<Hold>.self,
            ClaimActionCommand<Release>.self, ClaimActionCommand<Post>.self, ClaimPayCommand.self,
            ClaimReverseCommand.self, ClaimShowCommand.self, ClaimListCommand.self, ClaimHistoryCommand.self,
        ])
}

extension ClaimNumber: ExpressibleByArgument {
    public init?(argument: String) {
        guard let number = try? ClaimNumber(parsing: argument) else { return nil }
        self = number
    }
}

/// `--as PERSON`, `--comment`, `--date`: what every claim action records.
struct ActorOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: "The person acting (an id from the people list).")
    var actor: String

    @Option(name: .long, help: "Why (required to return, reject or hold).")
    var comment: String?

    @Option(name: .long, help: "The action's date (YYYY-MM-DD; default: today).")
    var date: LedgerDate?

    @Option(name: .customLong("expect-revision"), help: "Refuse if the claim changed since this revision.")
    var expectRevision: Int?

    func day() throws -> LedgerDate { try date ?? Clock.today() }
}

/// `neraca claim policy`: sets the approval matrix and the rates.
struct ClaimPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Set the approval matrix and/or the rates from Policies/.")

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("approval-matrix"), help: "Policies/approval-matrix.yaml")
    var approvalMatrix: String?

    @Option(name: .long, help: "Policies/rates.yaml")
    var rates: String?

    @Option(name: .customLong("changed-by"), help: "Who sets the policy (default: $NERACA_USER, else $USER).")
    var changedBy: String?

    func run() throws {
        let database = try store.openExisting()
        let matrix = try approvalMatrix.map { path throws(SetupError) in try ApprovalMatrixLoader.load(path: path) }
        let table = try rates.map { path throws(SetupError) in try RateTableLoader.load(path: path) }
        if matrix != nil || table != nil {
            try database.setClaimPolicies(matrix: matrix, rates: table, setBy: changedBy ?? AuthorOptions.currentUser,
                                          now: Clock.now())
        }
        let (current, currentRates) = try database.claimPolicies()
        for (index, level) in (current?.levels ?? []).enumerated() {
            Output.line("level \(index + 1): \(level.role.rawValue) up to \(level.limit?.formatted(.en) ?? "any amount")"
                + (level.scope == .ownDistrict ? ", own district" : ", all districts"))
        }
        if let currentRates { Output.line("rates: \(currentRates.rates.count)") }
    }
}

/// `neraca claim new`: opens a draft.
struct ClaimNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Open a draft claim (as its claimant).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOptions

    @Option(name: .long, help: "The district of the activity.")
    var district: String

    @Option(name: .customLong("budget-line"), help: "The budget line code, e.g. 1.1.")
    var budgetLine: String

    @Option(name: .long, help: "What the activity was.")
    var activity: String

    @Option(name: .long, help: "First day of the activity.")
    var from: LedgerDate

    @Option(name: .long, help: "Last day of the activity (default: the first).")
    var to: LedgerDate?

    func run() throws {
        let header = ClaimHeader(claimant: actor.actor, district: district, budgetLine: budgetLine, activity: activity,
                                 activityFrom: from, activityTo: to ?? from)
        let number = try store.openExisting().createClaim(header, by: actor.actor, date: try actor.day(), now: Clock.now())
        Output.line("\(number) draft")
    }
}

/// `neraca claim line`: adds (or removes) a line.
struct ClaimLineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "line", abstract: "Add a line (category, quantity, unit rate) to a draft or returned claim.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: "The claim, FC-DISTRICT-YEAR-NNNN.")
    var claim: ClaimNumber

    @Option(name: .long, help: "honorarium, transport, per-diem or lodging.")
    var category: String?

    @Option(name: .long, help: "How many sessions, trips, days or nights.")
    var quantity: Int64 = 1

    @Option(name: .long, help: "The rate per unit, in rupiah.")
    var rate: String?

    @Option(name: .long, help: "A note on the line.")
    var memo: String?

    @Option(name: .long, help: "Remove line N (1-based) instead of adding one.")
    var remove: Int?

    func run() throws {
        let database = try store.openExisting()
        if let remove {
            guard remove >= 1 else { throw CommandFailure("error: remove: a line number starts at 1") }
            try database.removeClaimLine(at: remove - 1, from: claim, by: actor.actor, date: try actor.day())
            Output.line("\(claim) line \(remove) removed")
            return
        }
        guard let categoryText = category, let category = ClaimCategory(rawValue: categoryText) else {
            throw CommandFailure("error: category: use one of \(ClaimCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let rate else { throw CommandFailure("error: rate: give the rate per \(category.unit) with --rate") }
        let unitRate = try Money.parse(rate, currency: try database.baseCurrency(), field: "rate")
        let line = ClaimLine(category: category, quantity: quantity, unitRate: unitRate, memo: memo)
        try database.addClaimLine(line, to: claim, by: actor.actor, date: try actor.day())
        Output.line("\(claim) + \(quantity) \(category.unit) × \(unitRate.formatted(.en)) = \(try line.amount().formatted(.en))")
    }
}

/// `neraca claim attach`: attaches a receipt file.
struct ClaimAttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach", abstract: "Attach a receipt (PDF, JPEG or PNG, at most 10 MB).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: "The claim, FC-DISTRICT-YEAR-NNNN.")
    var claim: ClaimNumber

    @Argument(help: "The receipt file.")
    var file: String

    @Option(name: .long, help: "The shop or supplier named on the receipt (with --receipt-number).")
    var vendor: String?

    @Option(name: .customLong("receipt-number"), help: "The number printed on the receipt (with --vendor).")
    var receiptNumber: String?

    func validate() throws {
        switch (vendor, receiptNumber) {
        case (nil, _?): throw ValidationError("--receipt-number needs --vendor, the shop or supplier named on the receipt")
        case (_?, nil): throw ValidationError("--vendor needs --receipt-number, the number printed on the receipt")
        default: return
        }
    }

    func run() throws {
        var vendorReceipt: VendorReceipt?
        if let vendor, let receiptNumber { vendorReceipt = try VendorReceipt(vendor: vendor, number: receiptNumber) }
        let url = URL(fileURLWithPath: file)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        guard let size else { throw CommandFailure("error: receipt: cannot read '\(file)'") }
        guard size <= Receipt.bytesMax else {
            throw ClaimError.receiptTooLarge(fileName: url.lastPathComponent, size: size, max: Receipt.bytesMax)
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure("error: receipt: cannot read '\(file)'")
        }
        let receipt = try store.openExisting().attachReceipt(
            Array(data), fileName: url.lastPathComponent, vendorReceipt: vendorReceipt, to: claim, by: actor.actor,
            date: try actor.day())
        Output.line("\(claim) receipt \(receipt.fileName) \(receipt.mediaType.rawValue) \(receipt.sha256.hex)"
            + (receipt.vendorReceipt.map { " \($0.description)" } ?? ""))
    }
}

/// The actions that take only a claim and the actor.
protocol SimpleClaimAction {
    static var action: ClaimAction { get }
    static var abstract: String { get }
}
enum Submit: SimpleClaimAction {
    static let action = ClaimAction.submit
    static let abstract = "Submit (or resubmit) a claim for approval, as its claimant."
}
enum Withdraw: SimpleClaimAction {
    static let action = ClaimAction.withdraw
    static let abstract = "Withdraw a claim before any approval, as its claimant."
}
enum Return: SimpleClaimAction {
    static let action = ClaimAction.return
    static let abstract = "Return a claim to its claimant for changes (--comment required)."
}
enum Reject: SimpleClaimAction {
    static let action = ClaimAction.reject
    static let abstract = "Reject a claim for good (--comment required)."
}
enum Hold: SimpleClaimAction {
    static let action = ClaimAction.hold
    static let abstract = "Put a claim on hold (compliance officer, --comment required)."
}
enum Release: SimpleClaimAction {
    static let action = ClaimAction.release
    static let abstract = "Release a held claim to where it was (compliance officer)."
}
enum Post: SimpleClaimAction {
    static let action = ClaimAction.post
    static let abstract = "Post an approved claim: Dr expense / Cr claims payable (finance officer)."
}

struct ClaimActionCommand<Kind: SimpleClaimAction>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Kind.action.rawValue, abstract: Kind.abstract)
    }

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: "The claim, FC-DISTRICT-YEAR-NNNN.")
    var claim: ClaimNumber

    func run() throws {
        let result = try store.openExisting().act(
            Kind.action, on: claim, by: actor.actor, comment: actor.comment, date: try actor.day(), now: Clock.now(),
            expectedRevision: actor.expectRevision)
        ClaimOutput.print(result)
    }
}

/// `neraca claim approve`: approves at the current level, optionally lowering one line.
struct ClaimApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve at the claim's current level; --line N with --quantity or --rate lowers that line first.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: "The claim, FC-DISTRICT-YEAR-NNNN.")
    var claim: ClaimNumber

    @Option(name: .long, help: "The line to lower (1-based), with --quantity and/or --rate.")
    var line: Int?

    @Option(name: .long, help: "The lowered quantity.")
    var quantity: Int64?

    @Option(name: .long, help: "The lowered rate per unit.")
    var rate: String?

    @Flag(name: .long, help: "I have read the claim's open anti-fraud flags (required when it has some).")
    var acknowledge = false

    func run() throws {
        let database = try store.openExisting()
        var adjustments: [ClaimLineAdjustment] = []
        if let line {
            guard line >= 1 else { throw CommandFailure("error: line: a line number starts at 1") }
            let base = try database.baseCurrency()
            let unitRate = try rate.map { text throws(LedgerError) in try Money.parse(text, currency: base, field: "rate") }
            adjustments = [ClaimLineAdjustment(index: line - 1, quantity: quantity, unitRate: unitRate)]
        } else if quantity != nil || rate != nil {
            throw CommandFailure("error: line: say which line to lower with --line N")
        }
        let result = try database.act(
            .approve, on: claim, by: actor.actor, comment: actor.comment, date: try actor.day(), now: Clock.now(),
            expectedRevision: actor.expectRevision, adjustments: adjustments, acknowledgeFlags: acknowledge)
        ClaimOutput.print(result)
    }
}

struct ClaimPayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay", abstract: "Pay a posted claim, in full or in part (treasurer).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: "The claim, FC-DISTRICT-YEAR-NNNN.")
    var claim: ClaimNumber

    @Option(name: .long, help: "How much to pay (default: all that is owed).")
    var amount: String?

    @Option(name: .long, help: "The bank or cash account to pay from (default: the district's).")
    var from: String?

    func run() throws {
        let database = try store.openExisting()
        let base = try database.baseCurrency()
        let payment = try amount.map { text throws(LedgerError) in
            try Money.parse(text, currency: base, field: "amount")
        }
        let result = try database.act(
            .pay, on: claim, by: actor.actor, comment: actor.comment, date: try actor.day(), now: Clock.now(),
            expectedRevision: actor.expectRevision, payment: payment, paymentAccount: from)
        ClaimOutput.print(result)
    }
}

struct ClaimReverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse", abstract: "Reverse a posted or paid claim's entries (finance officer and a second person).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: "The claim, FC-DISTRICT-YEAR-NNNN.")
    var claim: ClaimNumber

    @Option(name: .long, help: "The second person confirming the reversal.")
    var second: String

    func run() throws {
        let result = try store.openExisting().act(
            .reverse, on: claim, by: actor.actor, comment: actor.comment, date: try actor.day(), now: Clock.now(),
            expectedRevision: actor.expectRevision, second: second)
        ClaimOutput.print(result)
    }
}

enum ClaimOutput {
    static func print(_ result: ClaimActionResult) {
        var line = "\(result.number) \(result.state.rawValue)"
        if !result.entries.isEmpty { line += " " + result.entries.map(\.description).joined(separator: " ") }
        if let owed = result.owed { line += "; owed \(owed.formatted(.en))" }
        Output.line(line)
        for warning in result.budgetWarnings { Output.error("warning: \(result.number): \(warning)") }
        for finding in result.findings { Output.error("finding: \(result.number): \(finding)") }
    }
}
