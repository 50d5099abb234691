import FeeClaims
import LedgerCore

/// Reads a people list (`Ledgers/<name>/people.csv`): who may claim, approve, post and pay,
/// refusing any bad row with its line number.
///
/// Columns, in this order, with this header: `id,name,district,roles,supervisor,
/// bank_account,active_from,active_to`.
/// - `id`: a stable id such as `P-SBD-007`, unique in the file, without spaces, `,`, `;`
///   or control characters (it travels on claims, events and postings).
/// - `district`: one of the ledger's districts, or empty for head-office staff who cover
///   every district.
/// - `roles`: one or more `Role` raw values separated by `;` (`claimant;coordinator`).
/// - `supervisor`: empty, or the id of another person in the same file (it may appear
///   further down).
/// - `bank_account`: optional free text (`BRI 0123-01-000123-50-1`).
/// - `active_from`: the first active day, `YYYY-MM-DD`; `active_to`: the last one, empty
///   while the person is active, never before `active_from`.
public enum PeopleFileLoader {
    public static let columns = ["id", "name", "district", "roles", "supervisor", "bank_account", "active_from", "active_to"]
    /// People one list may hold.
    public static let peopleMax = 10_000

    /// The file's people, each with the place it was read from, in file order.
    /// - Parameter districts: the ledger's district codes.
    /// - Throws: `SetupError` at the file, the header or the row: `csvSyntax`,
    ///   `csvHeaderInvalid`, `csvFieldCount`, `emptyValue` (also for a file without
    ///   people), `codeInvalid` (an id), `duplicateCode` (an id or a role given twice),
    ///   `textInvalid`, `valueNotAllowed` (an unknown district or role), `dateInvalid`,
    ///   `dateRangeInverted`, `personUnknown` (a supervisor not in the file),
    ///   `supervisorCycle`, `tooManyItems`.
    public static func load(path: String, districts: Set<String>) throws(SetupError) -> [(person: Person, location: InputLocation)] {
        let records = try CSVReader.records(try YAMLFile.read(path: path), file: path)
        guard let header = records.first else {
            throw .emptyValue(InputLocation(file: path, line: 1), field: "header")
        }
        let names = header.fields.map { TextRules.cleaned($0).lowercased() }
        guard names == columns else {
            throw .csvHeaderInvalid(InputLocation(file: path, line: header.line), expected: columns, found: header.fields)
        }
        guard records.count - 1 <= peopleMax else {
            throw .tooManyItems(InputLocation(file: path, line: 0), field: "people", count: records.count - 1, max: peopleMax)
        }
        var people: [(person: Person, location: InputLocation)] = []
        var rowOf: [String: Int] = [:]
        for record in records.dropFirst() {
            let location = InputLocation(file: path, line: record.line)
            guard record.fields.count == columns.count else {
                throw .csvFieldCount(location, expected: columns.count, found: record.fields.count)
            }
            let person = try readPerson(record, districts: districts, location: location)
            guard rowOf.updateValue(people.count, forKey: person.id) == nil else {
                throw .duplicateCode(location, field: "id", code: person.id)
            }
            people.append((person, location))
        }
        guard !people.isEmpty else { throw .emptyValue(InputLocation(file: path, line: 0), field: "people") }
        try checkSupervisors(people, rowOf: rowOf)
        return people
    }

    /// Every supervisor is in the file, and no chain of supervisors leads back to where it
    /// started. Checked once all rows are read, so a supervisor may come after the people
    /// they supervise; the error is at the row that names the supervisor.
    private static func checkSupervisors(
        _ people: [(person: Person, location: InputLocation)], rowOf: [String: Int]
    ) throws(SetupError) {
        for (person, location) in people {
            guard let supervisor = person.supervisor else { continue }
            guard rowOf[supervisor] != nil else { throw .personUnknown(location, field: "supervisor", id: supervisor) }
        }
        // Follow each chain; one longer than the list has a loop. Rows already known to
        // end without a loop stop the walk, so the whole check is linear.
        var endsWell = [Bool](repeating: false, count: people.count)
        for start in people.indices where !endsWell[start] {
            var chain = [start]
            var onChain: Set<Int> = [start]
            var current = start
            while let supervisor = people[current].person.supervisor, let next = rowOf[supervisor], !endsWell[next] {
                guard onChain.insert(next).inserted else {
                    // `next` is on a loop; report it at the first of the loop's rows in the file.
                    guard let loopStart = chain.firstIndex(of: next) else { break }
                    let loop = Array(chain[loopStart...])
                    let first = loop.min() ?? next
                    let offset = loop.firstIndex(of: first) ?? 0
                    let ids = (loop[offset...] + loop[..<offset] + [first]).map { people[$0].person.id }
                    throw .supervisorCycle(people[first].location, field: "supervisor", chain: ids)
                }
                chain.append(next)
                current = next
            }
            for row in chain { endsWell[row] = true }
        }
    }

    private static func readPerson(
        _ record: CSVReader.Record, districts: Set<String>, location: InputLocation
    ) throws(SetupError) -> Person {
        func optional(_ column: Int) -> String? {
            let text = TextRules.cleaned(record.fields[column])
            return text.isEmpty ? nil : text
        }
        func value(_ column: Int) throws(SetupError) -> String {
            guard let text = optional(column) else { throw .emptyValue(location, field: columns[column]) }
            return text
        }
        func date(_ text: String, _ column: Int) throws(SetupError) -> LedgerDate {
            do throws(LedgerError) {
                return try LedgerDate(parsing: text, field: columns[column])
            } catch {
                throw .dateInvalid(location, field: columns[column], value: text)
            }
        }

        let id = try personID(try value(0), field: "id", location: location)
        let name = try value(1)
        try YAMLMapping.checkText(name, at: location, field: "name", max: Limits.nameLengthMax)
        let district = optional(2)
        if let district, !districts.contains(district) {
            throw .valueNotAllowed(location, field: "district", value: district, allowed: districts.sorted())
        }
        let roles = try roles(try value(3), location: location)
        let supervisor = try optional(4).map { (text) throws(SetupError) in try personID(text, field: "supervisor", location: location) }
        let bankAccount = optional(5)
        if let bankAccount {
            try YAMLMapping.checkText(bankAccount, at: location, field: "bank_account", max: Limits.referenceLengthMax)
        }
        let activeFrom = try date(try value(6), 6)
        let activeTo = try optional(7).map { (text) throws(SetupError) in try date(text, 7) }
        if let activeTo, activeTo < activeFrom {
            throw .dateRangeInverted(location, field: "active_to", startsOn: activeFrom, endsOn: activeTo)
        }
        return Person(
            id: id, name: name, district: district, roles: roles, supervisor: supervisor, bankAccount: bankAccount,
            activeFrom: activeFrom, activeTo: activeTo)
    }

    /// An id as it travels on claims and postings: at most `Limits.dimensionLengthMax`
    /// characters, no white space, control characters, `,` or `;`.
    private static func personID(_ text: String, field: String, location: InputLocation) throws(SetupError) -> String {
        let valid = text.count <= Limits.dimensionLengthMax
            && text.unicodeScalars.allSatisfy { scalar in
                !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control
                    && scalar != "," && scalar != ";"
            }
        guard valid else { throw .codeInvalid(location, field: field, value: text) }
        return text
    }

    /// `claimant;coordinator`: each part a role, none twice, none empty.
    private static func roles(_ text: String, location: InputLocation) throws(SetupError) -> Set<Role> {
        var roles: Set<Role> = []
        for part in text.split(separator: ";", omittingEmptySubsequences: false) {
            let name = TextRules.cleaned(String(part))
            guard let role = Role(rawValue: name) else {
                throw .valueNotAllowed(location, field: "roles", value: name, allowed: Role.allCases.map(\.rawValue))
            }
            guard roles.insert(role).inserted else { throw .duplicateCode(location, field: "roles", code: name) }
        }
        return roles
    }
}
