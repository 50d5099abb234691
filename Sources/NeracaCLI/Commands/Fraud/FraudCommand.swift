import ArgumentParser
import Foundation
import FraudRules
import LedgerCore
import LedgerStore
import Setup

/// `neraca fraud …`: the anti-fraud policy, batch scans and the triage of findings.
struct FraudCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fraud",
        abstract: "Anti-fraud: policy, scans over claims and people, findings and their triage.",
        subcommands: [
            FraudPolicyCommand.self, FraudScanCommand.self, FraudBenfordCommand.self, FraudFindingsCommand.self,
            FraudDecideCommand<Dismiss>.self, FraudDecideCommand<Escalate>.self,
        ])
}

struct FraudPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show the anti-fraud policy, or set it from Policies/anti-fraud.yaml.")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The policy file to set.")
    var file: String?

    @Option(name: .customLong("changed-by"), help: "Who sets the policy (default: $NERACA_USER, else $USER).")
    var changedBy: String?

    func run() throws {
        let database = try store.openExisting()
        if let file {
            try database.setFraudPolicy(try FraudPolicyLoader.load(path: file), setBy: changedBy ?? AuthorOptions.currentUser,
                                        now: Clock.now())
        }
        guard let policy = try database.fraudPolicy() else { throw FraudError.policyMissing }
        var table = TextTable(headers: ["Rule", "Name", "Enabled", "Action", "Parameters"])
        for rule in policy.rules.values.sorted(by: { $0.id < $1.id }) {
            table.append([rule.id.rawValue, rule.nameEn, rule.enabled ? "yes" : "no", rule.action.rawValue,
                          rule.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")])
        }
        Output.line(table.render())
        let years = Dictionary(grouping: policy.holidays.keys, by: \.year).sorted { $0.key < $1.key }
        Output.line(years.isEmpty
            ? "Public holidays (R11): none; weekends only. Add Policies/holidays-YYYY.yaml beside the policy file."
            : "Public holidays (R11): " + years.map { "\($0.key) \($0.value.count) days" }.joined(separator: ", "))
    }
}

struct FraudScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Run the batch rules over a year's claims, the people and the budget; record new findings.",
        discussion: "A second scan adds no duplicate: a finding is known by its rule, subject and related things.")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The fiscal year.")
    var year: Int

    @Option(name: .long, help: "Only this district's claims and budget.")
    var district: String?

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        let result = try store.openExisting().scanFraud(fiscalYear: year, district: district, now: Clock.now())
        Output.line(try FindingRendering.render(result.new, format: format))
        if format == .table {
            Output.line("\(result.claimsScanned) claims scanned: \(result.new.count) new findings, \(result.known) already on the record")
        }
    }
}

/// `neraca fraud benford --year Y`: the digit tables of the year's expense amounts.
struct FraudBenfordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benford",
        abstract: "Benford's law on the year's expense amounts: expected and observed shares, MAD, conformity, flagged digits.")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The fiscal year.")
    var year: Int

    @Option(name: .long, help: "table or csv.")
    var format: OutputFormat = .table

    func run() throws {
        let tests = try store.openExisting().benford(fiscalYear: year)
        var csv = [CSV.row(["test", "digits", "count", "expected", "observed", "z", "flagged"])]
        for test in [tests.first, tests.firstTwo] {
            var table = TextTable(headers: ["Digits", "Count", "Expected", "Observed", "z", ""], rightAligned: [0, 1, 2, 3, 4])
            for row in test.rows {
                let cells = [String(row.digits), String(row.count), String(format: "%.4f", row.expected),
                             String(format: "%.4f", row.observed), String(format: "%.2f", row.z), row.flagged ? "*" : ""]
                table.append(cells)
                csv.append(CSV.row([test.digits.rawValue] + cells.prefix(5) + [row.flagged ? "yes" : "no"]))
            }
            if format == .table {
                Output.line("\(test.digits.rawValue): \(test.amounts) amounts, MAD \(String(format: "%.4f", test.mad)),"
                    + " \(test.conformity.rawValue)")
                Output.line(table.render())
            }
        }
        if format != .table { Output.line(csv.joined(separator: "\n")) }
    }
}

struct FraudFindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "findings", abstract: "List findings.")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "open, dismissed or escalated.")
    var status: String?

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        if let status, !["open", "dismissed", "escalated"].contains(status) {
            throw CommandFailure("error: status: '\(status)' is not open, dismissed or escalated")
        }
        Output.line(try FindingRendering.render(try store.openExisting().findings(status: status), format: format))
    }
}

protocol FindingDecisionKind {
    static var decision: LedgerDatabase.FindingDecision { get }
    static var name: String { get }
    static var abstract: String { get }
}
enum Dismiss: FindingDecisionKind {
    static let decision = LedgerDatabase.FindingDecision.dismiss
    static let name = "dismiss"
    static let abstract = "Dismiss an open finding with a reason (a compliance officer who is not its subject)."
}
enum Escalate: FindingDecisionKind {
    static let decision = LedgerDatabase.FindingDecision.escalate
    static let name = "escalate"
    static let abstract = "Escalate an open finding with a reason (a compliance officer who is not its subject)."
}

struct FraudDecideCommand<Kind: FindingDecisionKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Kind.name,
                             abstract: "\(Kind.abstract)")
    }

    @OptionGroup var store: StoreOptions

    @Argument(help: "The finding, F-NNNNNN.")
    var finding: String

    @Option(name: .long, help: "Why (kept on the record).")
    var reason: String

    @Option(name: .customLong("as"), help: "The compliance officer deciding.")
    var actor: String

    func run() throws {
        try store.openExisting().decide(Kind.decision, finding: finding, reason: reason, by: actor, now: Clock.now())
        Output.line("\(finding) \(Kind.decision.rawValue)")
    }
}

enum FindingRendering {
    static func render(_ findings: [StoredFinding], format: OutputFormat) throws -> String {
        let headers = ["finding", "rule", "action", "subject", "related", "status", "evidence"]
        let rows = findings.map {
            [$0.id, $0.finding.rule.rawValue, $0.finding.action.rawValue, $0.finding.subject,
             $0.finding.related.joined(separator: " "), $0.status, $0.finding.evidence]
        }
        switch format {
        case .table:
            var table = TextTable(headers: headers)
            rows.forEach { table.append($0) }
            return table.render()
        case .csv:
            return ([headers] + rows).map(CSV.row).joined(separator: "\n")
        case .json:
            return try JSONOutput.string(rows.map { Dictionary(uniqueKeysWithValues: zip(headers, $0)) })
        }
    }
}
