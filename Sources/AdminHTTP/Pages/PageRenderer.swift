import Foundation
import Hummingbird
import Mustache

/// The page templates (Mustache, shipped as resources) and the stylesheet, loaded once.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let stylesheet: String
    /// The one script: live totals on the manual entry form (the form works without it).
    let entryFormScript: String

    /// Loads `Templates/*.mustache`, `Templates/style.css` and `Templates/entry-form.js` from
    /// the module's resources.
    /// - Throws: `PageError.templatesMissing` when the resources are not installed beside
    ///   the executable, or a template does not parse.
    init() throws {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw PageError.templatesMissing
        }
        var library = MustacheLibrary()
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
        stylesheet = try String(contentsOf: directory.appendingPathComponent("style.css"), encoding: .utf8)
        entryFormScript = try String(contentsOf: directory.appendingPathComponent("entry-form.js"), encoding: .utf8)
    }

    /// The page `name` with `values`, the language's catalogue as `t`, and the form token.
    func page(_ name: String, _ values: [String: Any], language: Language, csrf: String, status: HTTPResponse.Status = .ok)
        -> Response {
        var context = values
        context["t"] = PageText.catalogue(language)
        context["lang"] = language.rawValue
        context["otherLang"] = language == .en ? Language.id.rawValue : Language.en.rawValue
        context["csrf"] = csrf
        let html = library.render(context, withTemplate: name) ?? "<!doctype html><title>Neraca</title><p>page \(name) missing</p>"
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

enum PageError: Error {
    case templatesMissing
}

/// The template files as shipped, for tests that read them.
enum AdminHTTPResources {
    static func templateTexts() -> [String]? {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return nil }
        return names.filter { $0.hasSuffix(".mustache") }.compactMap {
            try? String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)
        }
    }
}
