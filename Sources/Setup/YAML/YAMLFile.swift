import Foundation
import Yams

/// Reads one YAML file into Yams' node tree, turning every failure (missing file, size,
/// encoding, YAML syntax, duplicate keys) into a `SetupError` with the file's position.
enum YAMLFile {
    /// - Throws: `fileUnreadable`, `fileTooLarge`, `syntax`, `duplicateKey`, `emptyValue`
    ///   for an empty document.
    static func root(path: String) throws(SetupError) -> Node {
        let text = try read(path: path)
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: text)
        } catch {
            throw convert(error, text: text, file: path)
        }
        guard let root = composed else {
            throw .emptyValue(InputLocation(file: path, line: 1, column: 1), field: "document")
        }
        return root
    }

    /// The file's text, refusing missing, oversized and non-UTF-8 files.
    static func read(path: String) throws(SetupError) -> String {
        let wholeFile = InputLocation(file: path, line: 0)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileUnreadable(wholeFile, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .fileUnreadable(wholeFile, reason: "it is a directory") }
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw .fileUnreadable(wholeFile, reason: error.localizedDescription)
        }
        guard size <= SetupLimits.setupFileBytesMax else {
            throw .fileTooLarge(wholeFile, bytes: size, max: SetupLimits.setupFileBytesMax)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .fileUnreadable(wholeFile, reason: error.localizedDescription)
        }
        guard data.count <= SetupLimits.setupFileBytesMax else {
            throw .fileTooLarge(wholeFile, bytes: data.count, max: SetupLimits.setupFileBytesMax)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .fileUnreadable(wholeFile, reason: "it is not valid UTF-8 text")
        }
        return text
    }

    /// Maps a Yams error to a located `SetupError`.
    static func convert(_ error: any Error, text: String, file: String) -> SetupError {
        guard let yamlError = error as? YamlError else {
            return .syntax(InputLocation(file: file, line: 0), problem: String(describing: error))
        }
        func at(_ mark: Mark) -> InputLocation { InputLocation(file: file, line: mark.line, column: mark.column) }
        func explain(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return .syntax(at(mark), problem: explain(problem, context))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .duplicateKey(at(context.mark), field: duplicates.first ?? "?")
        case .reader(let problem, let offset, _, _):
            return .syntax(location(ofCharacterOffset: offset, in: text, file: file), problem: problem)
        default:
            return .syntax(InputLocation(file: file, line: 0), problem: String(describing: yamlError))
        }
    }

    /// Line and column of the `offset`-th character of `text`.
    static func location(ofCharacterOffset offset: Int?, in text: String, file: String) -> InputLocation {
        guard let offset else { return InputLocation(file: file, line: 0) }
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return InputLocation(file: file, line: line, column: column)
    }
}
