import AuditExport
import Foundation
import Hummingbird
import LedgerCore
import LedgerStore
import Logging
import NIOPosix

/// Audit exports: the year's bundle as one zip.
struct ExportRoutes {
    let access: LedgerAccess
    let toolVersion: String

    func register(on api: RouterGroup<AdminRequestContext>) {
        api.post("exports") { request, context in try await export(request, context) }
    }

    /// `POST /exports {"year": 2024}`: the year's audit bundle as one zip, written to a
    /// temporary directory, streamed, then removed.
    private func export(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        _ = try context.user(allowedTo: .export)
        var request = request
        var body = try await JSONBody.object(&request)
        let year = try body.integer("year")
        try body.finish()
        guard Self.years.contains(year), let fiscalYear = Int(exactly: year) else {
            throw APIError.fieldInvalid(field: "year", reason: "must be a year of four digits")
        }
        return try await zip(fiscalYear: fiscalYear, context)
    }

    /// The fiscal years a bundle can be asked for: the years dates can have.
    static let years: ClosedRange<Int64> = 1900...9999

    /// The bundle of `fiscalYear` as a zip response (the API's and the export page's).
    func zip(fiscalYear: Int, _ context: AdminRequestContext) async throws -> Response {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("neraca-export-\(SecretToken.generate().text)").path
        let bundle = directory + "/bundle-\(fiscalYear)"
        let now = access.now
        let toolVersion = toolVersion
        let summary: AuditExporter.Summary
        do {
            // The bundle holds people and bank details: readable by this user only.
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            summary = try await access.run { ledger in
                try AuditExporter(database: ledger, toolVersion: toolVersion)
                    .export(fiscalYear: fiscalYear, to: bundle, zip: true, now: now)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        guard let zipPath = summary.zip, let handle = FileHandle(forReadingAtPath: zipPath) else {
            try? FileManager.default.removeItem(atPath: directory)
            throw ExportError.cannotWrite(path: "bundle.zip", reason: "the zip was not written")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: zipPath)[.size] as? Int) ?? nil
        context.record("export", ["year": .stringConvertible(fiscalYear)])
        let zipBody = ResponseBody(contentLength: size) { writer in
            defer {
                try? handle.close()
                try? FileManager.default.removeItem(atPath: directory)
            }
            while true {
                let chunk = try await NIOThreadPool.singleton.runIfActive { try handle.read(upToCount: 1 << 20) ?? Data() }
                if chunk.isEmpty { break }
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "application/zip",
            .contentDisposition: "attachment; filename=\"neraca-\(fiscalYear).zip\"",
        ], body: zipBody)
    }
}
