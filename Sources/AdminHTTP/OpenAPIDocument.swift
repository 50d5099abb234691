import Foundation
import Hummingbird

/// `openapi.yaml`, the API's description (OpenAPI 3.1), shipped as a resource and served
/// at `/api/v1/openapi.yaml` for scripts and schemathesis.
enum OpenAPIDocument {
    /// The document's text; nil only if the resource bundle is missing from the install.
    static let text: String? = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }()

    static func response() throws -> Response {
        guard let text else { throw APIError.notFound(path: "openapi.yaml") }
        return Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
