import LedgerCore
import Yams

/// One YAML mapping read field by field, with every refusal pointing at the line and column
/// of the offending key or value.
///
/// The loaders walk Yams' composed `Node` tree by hand instead of decoding with `Codable`,
/// because only the tree keeps each node's position (`mark`), and because unknown keys,
/// missing keys and wrong shapes must each give their own precise error.
struct YAMLMapping {
    let file: String
    /// Field path of this mapping in the file (`districts[1]`); empty for the document root.
    let path: String
    let mapping: Node.Mapping
    let location: InputLocation

    /// - Throws: `wrongType` when `node` is not a mapping.
    init(_ node: Node, path: String, file: String) throws(SetupError) {
        let location = YAMLMapping.location(of: node, file: file)
        guard case .mapping(let mapping) = node else {
            throw .wrongType(location, field: path.isEmpty ? "document" : path, expected: .mapping)
        }
        self.file = file
        self.path = path
        self.mapping = mapping
        self.location = location
    }

    /// `path.key`, or `key` at the root.
    func fieldPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    static func location(of node: Node, file: String) -> InputLocation {
        guard let mark = node.mark else { return InputLocation(file: file, line: 1) }
        return InputLocation(file: file, line: mark.line, column: mark.column)
    }

    func location(of node: Node) -> InputLocation { YAMLMapping.location(of: node, file: file) }

    /// Refuses any key not in `allowed` (typos must not be silently ignored).
    /// - Throws: `unknownKey` at the key.
    func checkKeys(_ allowed: [String]) throws(SetupError) {
        for (key, _) in mapping {
            guard case .scalar(let scalar) = key, allowed.contains(scalar.string) else {
                let name = key.scalar?.string ?? "?"
                throw .unknownKey(location(of: key), field: fieldPath(name), allowed: allowed)
            }
        }
    }

    /// The value of `key`, or nil when the key is absent.
    func node(_ key: String) -> Node? {
        mapping[key]
    }

    /// - Throws: `missingKey` at this mapping when `key` is absent.
    func requiredNode(_ key: String) throws(SetupError) -> Node {
        guard let node = node(key) else { throw .missingKey(location, field: fieldPath(key)) }
        return node
    }

    /// The raw text of a scalar, or nil for `null`, `~` and empty values.
    /// - Throws: `wrongType` when the value is a mapping or a list.
    func scalarText(_ node: Node, key: String) throws(SetupError) -> String? {
        guard case .scalar(let scalar) = node else {
            throw .wrongType(location(of: node), field: fieldPath(key), expected: .scalar)
        }
        if node.tag.rawValue == Tag.Name.null.rawValue { return nil }
        let text = TextRules.cleaned(scalar.string)
        return text.isEmpty ? nil : text
    }

    /// A required, non-empty single value, trimmed and in NFC.
    /// - Throws: `missingKey`, `emptyValue`, `wrongType`.
    func text(_ key: String) throws(SetupError) -> (value: String, location: InputLocation) {
        let node = try requiredNode(key)
        guard let text = try scalarText(node, key: key) else {
            throw .emptyValue(location(of: node), field: fieldPath(key))
        }
        return (text, location(of: node))
    }

    /// An optional single value: nil when absent, `null` or empty.
    /// - Throws: `wrongType`.
    func optionalText(_ key: String) throws(SetupError) -> (value: String, location: InputLocation)? {
        guard let node = node(key), let text = try scalarText(node, key: key) else { return nil }
        return (text, location(of: node))
    }

    /// A list's items; an absent or `null` key gives an empty list.
    /// - Throws: `wrongType` for anything but a list, `tooManyItems` past `max`.
    func list(_ key: String, max: Int) throws(SetupError) -> [Node] {
        guard let node = node(key) else { return [] }
        if case .scalar = node, node.tag.rawValue == Tag.Name.null.rawValue { return [] }
        guard case .sequence(let sequence) = node else {
            throw .wrongType(location(of: node), field: fieldPath(key), expected: .list)
        }
        guard sequence.count <= max else {
            throw .tooManyItems(location(of: node), field: fieldPath(key), count: sequence.count, max: max)
        }
        return Array(sequence)
    }
}

// MARK: - Typed values

extension YAMLMapping {
    /// A required text checked against LedgerCore's text rules.
    /// - Throws: `missingKey`, `emptyValue`, `wrongType`, `textInvalid`.
    func checkedText(_ key: String, max: Int) throws(SetupError) -> String {
        let (value, location) = try text(key)
        try YAMLMapping.checkText(value, at: location, field: fieldPath(key), max: max)
        return value
    }

    /// An optional text checked against LedgerCore's text rules.
    func optionalCheckedText(_ key: String, max: Int) throws(SetupError) -> String? {
        guard let (value, location) = try optionalText(key) else { return nil }
        try YAMLMapping.checkText(value, at: location, field: fieldPath(key), max: max)
        return value
    }

    static func checkText(_ value: String, at location: InputLocation, field: String, max: Int) throws(SetupError) {
        do throws(LedgerError) {
            try TextRules.check(value, field: field, max: max)
        } catch {
            throw .textInvalid(location, field: field, reason: error)
        }
    }

    /// A district or funding-source code: it travels in journal tags and posting dimensions.
    /// - Throws: `codeInvalid` and the errors of `text(_:)`.
    func code(_ key: String) throws(SetupError) -> String {
        let (value, location) = try text(key)
        let valid = value.count <= Limits.dimensionLengthMax
            && value.unicodeScalars.allSatisfy { scalar in
                !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control
                    && scalar != "," && scalar != ";"
            }
        guard valid else { throw .codeInvalid(location, field: fieldPath(key), value: value) }
        return value
    }

    /// An optional `YYYY-MM-DD` date.
    /// - Throws: `dateInvalid`, `wrongType`.
    func optionalDate(_ key: String) throws(SetupError) -> (value: LedgerDate, location: InputLocation)? {
        guard let (text, location) = try optionalText(key) else { return nil }
        do throws(LedgerError) {
            return (try LedgerDate(parsing: text, field: fieldPath(key)), location)
        } catch {
            throw .dateInvalid(location, field: fieldPath(key), value: text)
        }
    }

    /// A required ISO 4217 currency code.
    /// - Throws: `currencyUnknown` and the errors of `text(_:)`.
    func currency(_ key: String) throws(SetupError) -> Currency {
        let (code, location) = try text(key)
        return try YAMLMapping.currency(code, at: location, field: fieldPath(key))
    }

    /// An optional ISO 4217 currency code.
    func optionalCurrency(_ key: String) throws(SetupError) -> Currency? {
        guard let (code, location) = try optionalText(key) else { return nil }
        return try YAMLMapping.currency(code, at: location, field: fieldPath(key))
    }

    static func currency(_ code: String, at location: InputLocation, field: String) throws(SetupError) -> Currency {
        guard let currency = Currency.known[code] else {
            throw .currencyUnknown(location, field: field, code: code)
        }
        return currency
    }

    /// Checks that an end date is after its start date, when both are given.
    /// - Throws: `dateRangeInverted` at the end date.
    func checkRange(
        _ start: (value: LedgerDate, location: InputLocation)?, _ end: (value: LedgerDate, location: InputLocation)?,
        endKey: String
    ) throws(SetupError) {
        guard let start, let end else { return }
        guard start.value < end.value else {
            throw .dateRangeInverted(end.location, field: fieldPath(endKey), startsOn: start.value, endsOn: end.value)
        }
    }
}
