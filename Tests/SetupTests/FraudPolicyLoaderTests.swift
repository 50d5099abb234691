import Foundation
import FraudRules
import LedgerCore
import Setup
import Testing

/// The anti-fraud policy loader (`Policies/anti-fraud.yaml`): the reference policy loads
/// with the issue's defaults under the parameter names the scanner reads, and every bad
/// file is refused with the exact error, file, line and column.
@Suite struct FraudPolicyLoaderTests {
    // MARK: Shared fixtures

    static let allIDs = (1...16).map { String(format: "R%02d", $0) }
    static let actions = ["report", "flag", "hold", "block"]
    static let ruleKeys = ["id", "name", "name_id", "enabled", "action", "parameters"]
    static let ruleKeysWithoutParameters = ["id", "name", "name_id", "enabled", "action"]
    static let wholeNumber = ["a whole number of 0 or more, in plain digits"]

    static var referencePath: String { TestSupport.repositoryRoot + "/Policies/anti-fraud.yaml" }

    static func withFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let directory = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(directory) }
        let path = directory + "/anti-fraud.yaml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try body(path)
    }

    static func policy(_ text: String) throws -> FraudPolicy {
        try withFile(text) { path in try FraudPolicyLoader.load(path: path) }
    }

    /// The error loading a policy given as text throws, with the file's path.
    static func policyError(_ text: String) throws -> (error: SetupError, path: String) {
        try withFile(text) { path in
            let error = try #require(throws: SetupError.self) { try FraudPolicyLoader.load(path: path) }
            return (error, path)
        }
    }

    static func at(_ path: String, _ line: Int, _ column: Int) -> InputLocation {
        InputLocation(file: path, line: line, column: column)
    }

    /// `base` with `old` (which must occur exactly once) replaced by `new`.
    static func replacing(_ old: String, with new: String, in base: String = basePolicy) throws -> String {
        try #require(base.components(separatedBy: old).count == 2, "'\(old)' must occur once")
        return base.replacingOccurrences(of: old, with: new)
    }

    static func rule(
        _ id: FraudRuleID, _ nameEn: String, _ nameId: String, _ action: FraudAction, enabled: Bool = true,
        _ parameters: [String: Int64] = [:]
    ) -> FraudRule {
        FraudRule(id: id, nameEn: nameEn, nameId: nameId, enabled: enabled, action: action, parameters: parameters)
    }

    // MARK: The reference policy

    /// The issue's defaults, by rule: action and parameters under the names the rules read.
    static let referenceSettings: [FraudRuleID: (action: FraudAction, parameters: [String: Int64])] = [
        .r01: (.block, [:]),
        .r02: (.hold, [:]),
        .r03: (.block, [:]),
        .r04: (.flag, ["days": 3, "percent": 1, "tolerance": 1_000_000]),
        .r05: (.hold, ["days": 7]),
        .r06: (.flag, ["percent": 90, "count": 3]),
        .r07: (.block, [:]),
        .r08: (.block, ["travelDays": 1]),
        .r09: (.flag, ["flagDays": 30, "blockDays": 90]),
        .r10: (.block, [:]),
        .r11: (.flag, [:]),
        .r12: (.flag, ["minimum": 50_000_000, "multiple": 10_000_000, "minClaims": 10]),
        .r13: (.report, ["minAmounts": 1_000]),
        .r14: (.report, [:]),
        .r15: (.hold, [:]),
        .r16: (.flag, ["flagPercent": 90, "blockPercent": 100]),
    ]

    @Test func referencePolicyLoads() throws {
        let policy = try FraudPolicyLoader.load(path: Self.referencePath)
        #expect(policy.rules.count == 16)
        #expect(policy.rules.keys.sorted() == FraudRuleID.allCases)
        for id in FraudRuleID.allCases {
            let rule = try #require(policy.rules[id], "\(id.rawValue)")
            let expected = try #require(Self.referenceSettings[id])
            #expect(rule.id == id)
            #expect(rule.enabled, "\(id.rawValue)")
            #expect(rule.action == expected.action, "\(id.rawValue)")
            #expect(rule.parameters == expected.parameters, "\(id.rawValue)")
            #expect(!rule.nameEn.isEmpty && !rule.nameId.isEmpty && rule.nameEn != rule.nameId, "\(id.rawValue)")
        }
        #expect(policy.rules[.r01]?.nameEn == "Segregation of duties")
        #expect(policy.rules[.r01]?.nameId == "Pemisahan tugas")
        #expect(policy.rules[.r09]?.nameEn == "Late filing")
        #expect(policy.rules[.r09]?.nameId == "Pengajuan terlambat")
        #expect(policy.rules[.r13]?.nameEn == "Benford's law")
    }

    /// The scanner reads its parameters by these names with these fallbacks: the reference
    /// file must set each one (a fallback of -1 would show), to the issue's value.
    @Test(arguments: [
        (FraudRuleID.r04, "days", Int64(3)), (.r04, "percent", 1), (.r04, "tolerance", 1_000_000), (.r05, "days", 7),
        (.r06, "percent", 90), (.r06, "count", 3), (.r09, "flagDays", 30), (.r09, "blockDays", 90),
        (.r16, "flagPercent", 90), (.r16, "blockPercent", 100),
    ])
    func referencePolicySetsWhatTheScannerReads(id: FraudRuleID, name: String, value: Int64) throws {
        let policy = try FraudPolicyLoader.load(path: Self.referencePath)
        let rule = try #require(policy.enabled(id))
        #expect(rule.parameter(name, -1) == value)
    }

    /// The rules are listed in order, each under a comment that explains it in English and
    /// then in Indonesian (two paragraphs that start with the rule's id).
    @Test func referencePolicyIsOrderedAndExplained() throws {
        let lines = try String(contentsOfFile: Self.referencePath, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let itemLines = lines.indices.filter { lines[$0].hasPrefix("  - id: ") }
        #expect(itemLines.map { lines[$0].dropFirst("  - id: ".count) } == Self.allIDs.map { Substring($0) })
        for index in itemLines {
            let id = lines[index].dropFirst("  - id: ".count)
            var comment: [String] = []
            var above = index - 1
            while above >= 0, lines[above].hasPrefix("  #") {
                comment.append(lines[above])
                above -= 1
            }
            let paragraphs = comment.filter { $0.hasPrefix("  # \(id) ") }
            #expect(paragraphs.count == 2, "\(id): \(paragraphs)")
            #expect(comment.count >= 4, "\(id)")
        }
    }

    // MARK: Policy files

    /// A valid policy, rules in block and flow style; each error case changes one thing.
    static let basePolicy = """
        rules:
          - id: R01
            name: Segregation of duties
            name_id: Pemisahan tugas
            enabled: true
            action: block
          - {id: R02, name: Exact duplicate, name_id: Duplikat persis, enabled: true, action: hold}
          - {id: R03, name: Same receipt, name_id: Kuitansi sama, enabled: true, action: block}
          - id: R04
            name: Near duplicate
            name_id: Hampir duplikat
            enabled: true
            action: flag
            parameters:
              days: 3
              percent: 1
              tolerance: 1000000
          - {id: R05, name: Split claims, name_id: Klaim dipecah, enabled: true, action: hold, parameters: {days: 7}}
          - {id: R06, name: Just under a limit, name_id: Di bawah batas, enabled: true, action: flag,
             parameters: {percent: 90, count: 3}}
          - {id: R07, name: Over a rate ceiling, name_id: Melebihi tarif, enabled: true, action: block}
          - {id: R08, name: Per-diem overlap, name_id: Uang harian ganda, enabled: true, action: block,
             parameters: {travel-days: 1}}
          - id: R09
            name: Late filing
            name_id: Pengajuan terlambat
            enabled: true
            action: flag
            parameters:
              flag-days: 30
              block-days: 90
          - {id: R10, name: Ineligible date, name_id: Tanggal tidak layak, enabled: true, action: block}
          - {id: R11, name: Weekend or holiday, name_id: Akhir pekan atau libur, enabled: false, action: flag}
          - {id: R12, name: Round amounts, name_id: Jumlah bulat, enabled: true, action: flag,
             parameters: {minimum: 50000000, multiple: 10000000, min-claims: 10}}
          - {id: R13, name: Benford, name_id: Hukum Benford, enabled: true, action: report, parameters: {min-amounts: 1000}}
          - {id: R14, name: Numbering gaps, name_id: Celah penomoran, enabled: true, action: report}
          - {id: R15, name: Shared bank account, name_id: Rekening bank sama, enabled: true, action: hold}
          - {id: R16, name: Budget use, name_id: Penggunaan anggaran, enabled: true, action: flag,
             parameters: {flag-percent: 90, block-percent: 100}}

        """

    static let baseRules: [FraudRule] = [
        rule(.r01, "Segregation of duties", "Pemisahan tugas", .block),
        rule(.r02, "Exact duplicate", "Duplikat persis", .hold),
        rule(.r03, "Same receipt", "Kuitansi sama", .block),
        rule(.r04, "Near duplicate", "Hampir duplikat", .flag, ["days": 3, "percent": 1, "tolerance": 1_000_000]),
        rule(.r05, "Split claims", "Klaim dipecah", .hold, ["days": 7]),
        rule(.r06, "Just under a limit", "Di bawah batas", .flag, ["percent": 90, "count": 3]),
        rule(.r07, "Over a rate ceiling", "Melebihi tarif", .block),
        rule(.r08, "Per-diem overlap", "Uang harian ganda", .block, ["travelDays": 1]),
        rule(.r09, "Late filing", "Pengajuan terlambat", .flag, ["flagDays": 30, "blockDays": 90]),
        rule(.r10, "Ineligible date", "Tanggal tidak layak", .block),
        rule(.r11, "Weekend or holiday", "Akhir pekan atau libur", .flag, enabled: false),
        rule(.r12, "Round amounts", "Jumlah bulat", .flag, ["minimum": 50_000_000, "multiple": 10_000_000, "minClaims": 10]),
        rule(.r13, "Benford", "Hukum Benford", .report, ["minAmounts": 1_000]),
        rule(.r14, "Numbering gaps", "Celah penomoran", .report),
        rule(.r15, "Shared bank account", "Rekening bank sama", .hold),
        rule(.r16, "Budget use", "Penggunaan anggaran", .flag, ["flagPercent": 90, "blockPercent": 100]),
    ]

    @Test func basePolicyLoads() throws {
        let policy = try Self.policy(Self.basePolicy)
        #expect(policy == FraudPolicy(rules: Self.baseRules))
        #expect(policy.rules.count == 16)
        // R11 is listed but switched off.
        #expect(policy.rules[.r11]?.enabled == false)
        #expect(policy.enabled(.r11) == nil)
        #expect(policy.enabled(.r12)?.action == .flag)
    }

    @Test func rulesMayComeInAnyOrder() throws {
        let r02 = "  - {id: R02, name: Exact duplicate, name_id: Duplikat persis, enabled: true, action: hold}\n"
        let text = try Self.replacing(r02, with: "") + r02
        #expect(try Self.policy(text) == FraudPolicy(rules: Self.baseRules))
    }

    @Test(arguments: ["0", "45", "'45'", "0045", "9223372036854775807"])
    func parameterValuesAreRead(value: String) throws {
        let policy = try Self.policy(try Self.replacing("      flag-days: 30", with: "      flag-days: \(value)"))
        let expected = try #require(Int64(value.filter(\.isNumber)))
        #expect(policy.rules[.r09]?.parameters == ["flagDays": expected, "blockDays": 90])
    }

    @Test(arguments: ["parameters: {}", "parameters: ", "parameters: null"])
    func emptyParametersLeaveTheDefaultsToTheRule(parameters: String) throws {
        let policy = try Self.policy(try Self.replacing("parameters: {days: 7}", with: parameters))
        let r05 = try #require(policy.rules[.r05])
        #expect(r05.parameters.isEmpty)
        #expect(r05.parameter("days", 7) == 7)
        #expect(policy.rules[.r04]?.parameters == ["days": 3, "percent": 1, "tolerance": 1_000_000])
    }

    @Test func parametersMayBeLeftOut() throws {
        let withoutR05 = try Self.replacing(", parameters: {days: 7}}", with: "}")
        #expect(try Self.policy(withoutR05).rules[.r05]?.parameters == [:])
        let onlyFlagDays = try Self.replacing("      block-days: 90\n", with: "")
        #expect(try Self.policy(onlyFlagDays).rules[.r09]?.parameters == ["flagDays": 30])
    }

    @Test(arguments: FraudAction.allCases)
    func anyActionIsAllowedButForR01(action: FraudAction) throws {
        let text = try Self.replacing("Celah penomoran, enabled: true, action: report}",
                                      with: "Celah penomoran, enabled: true, action: \(action.rawValue)}")
        #expect(try Self.policy(text).rules[.r14]?.action == action)
    }

    // MARK: Refusals

    struct PolicyCase: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String
        var new: String
        var expected: @Sendable (String) -> SetupError
        var testDescription: String { name }
    }

    static let policyCases: [PolicyCase] = [
        // Keys
        PolicyCase(name: "unknown root key", old: "rules:\n", new: "version: 1\nrules:\n") {
            .unknownKey(at($0, 1, 1), field: "version", allowed: ["rules"])
        },
        PolicyCase(name: "rule key typo", old: "    name_id: Pemisahan tugas", new: "    nameId: Pemisahan tugas") {
            .unknownKey(at($0, 4, 5), field: "rules[0].nameId", allowed: ruleKeys)
        },
        PolicyCase(name: "rule key typo in a flow mapping", old: "Duplikat persis, enabled", new: "Duplikat persis, enable") {
            .unknownKey(at($0, 7, 64), field: "rules[1].enable", allowed: ruleKeys)
        },
        PolicyCase(
            name: "parameters on a rule without any", old: "Kuitansi sama, enabled: true, action: block}",
            new: "Kuitansi sama, enabled: true, action: block, parameters: {days: 1}}"
        ) {
            .unknownKey(at($0, 8, 89), field: "rules[2].parameters", allowed: ruleKeysWithoutParameters)
        },
        PolicyCase(name: "parameter typo", old: "      flag-days: 30", new: "      flag-day: 30") {
            .unknownKey(at($0, 30, 7), field: "rules[8].parameters.flag-day", allowed: ["flag-days", "block-days"])
        },
        PolicyCase(name: "parameter in camelCase", old: "      block-days: 90", new: "      blockDays: 90") {
            .unknownKey(at($0, 31, 7), field: "rules[8].parameters.blockDays", allowed: ["flag-days", "block-days"])
        },
        PolicyCase(name: "parameter of another rule", old: "{days: 7}", new: "{days: 7, count: 2}") {
            .unknownKey(at($0, 18, 110), field: "rules[4].parameters.count", allowed: ["days"])
        },
        // Ids
        PolicyCase(name: "unknown id", old: "{id: R03,", new: "{id: R17,") {
            .valueNotAllowed(at($0, 8, 10), field: "rules[2].id", value: "R17", allowed: allIDs)
        },
        PolicyCase(name: "lower-case id", old: "  - id: R01", new: "  - id: r01") {
            .valueNotAllowed(at($0, 2, 9), field: "rules[0].id", value: "r01", allowed: allIDs)
        },
        PolicyCase(name: "id without its zero", old: "  - id: R09", new: "  - id: R9") {
            .valueNotAllowed(at($0, 24, 9), field: "rules[8].id", value: "R9", allowed: allIDs)
        },
        PolicyCase(name: "missing id", old: "  - id: R09\n    name: Late filing", new: "  - name: Late filing") {
            .missingKey(at($0, 24, 5), field: "rules[8].id")
        },
        PolicyCase(name: "empty id", old: "  - id: R01", new: "  - id: ''") {
            .emptyValue(at($0, 2, 9), field: "rules[0].id")
        },
        PolicyCase(name: "rule given twice", old: "{id: R03,", new: "{id: R02,") {
            .duplicateCode(at($0, 8, 10), field: "rules[2].id", code: "R02")
        },
        PolicyCase(
            name: "rule given twice after all 16", old: "block-percent: 100}}\n",
            new: "block-percent: 100}}\n  - {id: R09, name: Late, name_id: Terlambat, enabled: true, action: block}\n"
        ) {
            .duplicateCode(at($0, 41, 10), field: "rules[16].id", code: "R09")
        },
        // Missing rules: named at the rules list
        PolicyCase(
            name: "missing rule", old: "  - {id: R07, name: Over a rate ceiling, name_id: Melebihi tarif, enabled: true, action: block}\n",
            new: ""
        ) {
            .missingKey(at($0, 2, 3), field: "rules.R07")
        },
        PolicyCase(
            name: "missing first rule",
            old: "  - id: R01\n    name: Segregation of duties\n    name_id: Pemisahan tugas\n    enabled: true\n    action: block\n",
            new: ""
        ) {
            .missingKey(at($0, 2, 3), field: "rules.R01")
        },
        PolicyCase(
            name: "missing last rule", old: "  - {id: R16, name: Budget use, name_id: Penggunaan anggaran, enabled: true, action: flag,\n"
                + "     parameters: {flag-percent: 90, block-percent: 100}}\n",
            new: ""
        ) {
            .missingKey(at($0, 2, 3), field: "rules.R16")
        },
        // Actions
        PolicyCase(name: "unknown action", old: "Duplikat persis, enabled: true, action: hold}", new: "Duplikat persis, enabled: true, action: stop}") {
            .valueNotAllowed(at($0, 7, 87), field: "rules[1].action", value: "stop", allowed: actions)
        },
        PolicyCase(name: "action in capitals", old: "    action: flag\n    parameters:\n      days", new: "    action: Flag\n    parameters:\n      days") {
            .valueNotAllowed(at($0, 13, 13), field: "rules[3].action", value: "Flag", allowed: actions)
        },
        PolicyCase(name: "the budget policy's warn", old: "    action: flag\n    parameters:\n      flag", new: "    action: warn\n    parameters:\n      flag") {
            .valueNotAllowed(at($0, 28, 13), field: "rules[8].action", value: "warn", allowed: actions)
        },
        PolicyCase(name: "missing action", old: "    enabled: true\n    action: flag\n    parameters:\n      flag", new: "    enabled: true\n    parameters:\n      flag") {
            .missingKey(at($0, 24, 5), field: "rules[8].action")
        },
        PolicyCase(name: "R01 holds", old: "    action: block\n", new: "    action: hold\n") {
            .valueNotAllowed(at($0, 6, 13), field: "rules[0].action", value: "hold", allowed: ["block"])
        },
        PolicyCase(name: "R01 flags", old: "    action: block\n", new: "    action: flag\n") {
            .valueNotAllowed(at($0, 6, 13), field: "rules[0].action", value: "flag", allowed: ["block"])
        },
        PolicyCase(name: "R01 reports", old: "    action: block\n", new: "    action: report\n") {
            .valueNotAllowed(at($0, 6, 13), field: "rules[0].action", value: "report", allowed: ["block"])
        },
        PolicyCase(name: "R01 switched off", old: "    enabled: true\n    action: block\n", new: "    enabled: false\n    action: block\n") {
            .valueNotAllowed(at($0, 5, 14), field: "rules[0].enabled", value: "false", allowed: ["true"])
        },
        // Enabled
        PolicyCase(name: "enabled yes", old: "    enabled: true\n    action: block", new: "    enabled: yes\n    action: block") {
            .valueNotAllowed(at($0, 5, 14), field: "rules[0].enabled", value: "yes", allowed: ["true", "false"])
        },
        PolicyCase(
            name: "enabled 1", old: "    enabled: true\n    action: flag\n    parameters:\n      days",
            new: "    enabled: 1\n    action: flag\n    parameters:\n      days"
        ) {
            .valueNotAllowed(at($0, 12, 14), field: "rules[3].enabled", value: "1", allowed: ["true", "false"])
        },
        PolicyCase(name: "enabled False", old: "enabled: false", new: "enabled: False") {
            .valueNotAllowed(at($0, 33, 83), field: "rules[10].enabled", value: "False", allowed: ["true", "false"])
        },
        PolicyCase(name: "missing enabled", old: "Celah penomoran, enabled: true, action", new: "Celah penomoran, action") {
            .missingKey(at($0, 37, 5), field: "rules[13].enabled")
        },
        // Names
        PolicyCase(name: "missing name", old: "    name: Segregation of duties\n", new: "") {
            .missingKey(at($0, 2, 5), field: "rules[0].name")
        },
        PolicyCase(name: "name too long", old: "name: Ineligible date,", new: "name: \(String(repeating: "x", count: 101)),") {
            .textInvalid(at($0, 32, 21), field: "rules[9].name",
                         reason: .textTooLong(field: "rules[9].name", length: 101, max: 100))
        },
        PolicyCase(name: "empty name_id", old: "name_id: Celah penomoran,", new: "name_id: '',") {
            .emptyValue(at($0, 37, 46), field: "rules[13].name_id")
        },
        PolicyCase(name: "name_id a list", old: "    name_id: Pengajuan terlambat", new: "    name_id: [Pengajuan, terlambat]") {
            .wrongType(at($0, 26, 14), field: "rules[8].name_id", expected: .scalar)
        },
        // Parameters
        PolicyCase(name: "decimal parameter", old: "      days: 3\n", new: "      days: 3.5\n") {
            .valueNotAllowed(at($0, 15, 13), field: "rules[3].parameters.days", value: "3.5", allowed: wholeNumber)
        },
        PolicyCase(name: "amount with grouping marks", old: "      tolerance: 1000000", new: "      tolerance: 1.000.000") {
            .valueNotAllowed(at($0, 17, 18), field: "rules[3].parameters.tolerance", value: "1.000.000", allowed: wholeNumber)
        },
        PolicyCase(name: "amount with underscores", old: "      tolerance: 1000000", new: "      tolerance: 1_000_000") {
            .valueNotAllowed(at($0, 17, 18), field: "rules[3].parameters.tolerance", value: "1_000_000", allowed: wholeNumber)
        },
        PolicyCase(name: "negative parameter", old: "      block-days: 90", new: "      block-days: -90") {
            .valueNotAllowed(at($0, 31, 19), field: "rules[8].parameters.block-days", value: "-90", allowed: wholeNumber)
        },
        PolicyCase(name: "parameter with a plus sign", old: "      block-days: 90", new: "      block-days: +90") {
            .valueNotAllowed(at($0, 31, 19), field: "rules[8].parameters.block-days", value: "+90", allowed: wholeNumber)
        },
        PolicyCase(name: "parameter in words", old: "      percent: 1\n", new: "      percent: one\n") {
            .valueNotAllowed(at($0, 16, 16), field: "rules[3].parameters.percent", value: "one", allowed: wholeNumber)
        },
        PolicyCase(name: "parameter with a percent sign", old: "      percent: 1\n", new: "      percent: 1 %\n") {
            .valueNotAllowed(at($0, 16, 16), field: "rules[3].parameters.percent", value: "1 %", allowed: wholeNumber)
        },
        PolicyCase(name: "parameter in full-width digits", old: "      days: 3\n", new: "      days: \u{FF13}\n") {
            .valueNotAllowed(at($0, 15, 13), field: "rules[3].parameters.days", value: "\u{FF13}", allowed: wholeNumber)
        },
        PolicyCase(name: "parameter past Int64", old: "      tolerance: 1000000", new: "      tolerance: 9223372036854775808") {
            .valueNotAllowed(at($0, 17, 18), field: "rules[3].parameters.tolerance", value: "9223372036854775808",
                             allowed: wholeNumber)
        },
        PolicyCase(name: "null parameter", old: "      days: 3\n", new: "      days: ~\n") {
            .emptyValue(at($0, 15, 13), field: "rules[3].parameters.days")
        },
        PolicyCase(name: "parameter a list", old: "{days: 7}", new: "{days: [7]}") {
            .wrongType(at($0, 18, 107), field: "rules[4].parameters.days", expected: .scalar)
        },
        PolicyCase(name: "parameters not a mapping", old: "parameters: {days: 7}", new: "parameters: 7") {
            .wrongType(at($0, 18, 100), field: "rules[4].parameters", expected: .mapping)
        },
        // Shapes
        PolicyCase(name: "rule not a mapping", old: "block-percent: 100}}\n", new: "block-percent: 100}}\n  - R17\n") {
            .wrongType(at($0, 41, 5), field: "rules[16]", expected: .mapping)
        },
    ]

    @Test(arguments: policyCases)
    func policyErrorIsExact(_ policyCase: PolicyCase) throws {
        let text = try Self.replacing(policyCase.old, with: policyCase.new)
        let (error, path) = try Self.policyError(text)
        #expect(error == policyCase.expected(path))
    }

    struct ShapeCase: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: @Sendable (String) -> SetupError
        var testDescription: String { text.trimmingCharacters(in: .newlines) }
    }

    /// Whole files whose `rules` are missing, empty or of the wrong shape.
    static let shapeCases: [ShapeCase] = [
        ShapeCase(text: "{}\n") { .missingKey(at($0, 1, 1), field: "rules") },
        ShapeCase(text: "rules: []\n") { .missingKey(at($0, 1, 8), field: "rules.R01") },
        ShapeCase(text: "rules:\n") { .missingKey(at($0, 1, 7), field: "rules.R01") },
        ShapeCase(text: "rules: R01\n") { .wrongType(at($0, 1, 8), field: "rules", expected: .list) },
        ShapeCase(text: "rules: {id: R01}\n") { .wrongType(at($0, 1, 8), field: "rules", expected: .list) },
        ShapeCase(text: "- id: R01\n") { .wrongType(at($0, 1, 1), field: "document", expected: .mapping) },
    ]

    @Test(arguments: shapeCases)
    func shapeErrorIsExact(_ shapeCase: ShapeCase) throws {
        let (error, path) = try Self.policyError(shapeCase.text)
        #expect(error == shapeCase.expected(path))
    }

    @Test func tooManyRulesAreCounted() throws {
        let extra = String(repeating: "  - {id: R02, name: x, name_id: y, enabled: true, action: hold}\n", count: 85)
        let (error, path) = try Self.policyError(Self.basePolicy + extra)
        #expect(error == .tooManyItems(Self.at(path, 2, 3), field: "rules", count: 101, max: FraudPolicyLoader.rulesMax))
    }
}
