import Foundation
import Hummingbird

/// The language of the user's messages: Indonesian for staff who ask for it, English
/// otherwise (the core's own wording).
enum Language: String, Sendable {
    case en, id

    /// The first of `en` or `id` in an `Accept-Language` header, by quality order as sent
    /// (`id-ID,id;q=0.9,en;q=0.8` is Indonesian); English when neither is named.
    init(acceptLanguage header: String?) {
        guard let header else { self = .en; return }
        var best: (language: Language, quality: Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased() else { continue }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = Language(rawValue: primary) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            if quality > 0, quality > (best?.quality ?? 0) { best = (language, quality) }
        }
        self = best?.language ?? .en
    }
}

/// The titles and messages of problem details in English and Indonesian.
///
/// The `title` names the kind of problem; `message` is the sentence shown to the user:
/// in English the core's own detail, in Indonesian a sentence per kind naming the field,
/// followed by the English detail (whose amounts, names and numbers the user needs).
enum ProblemText {
    static func title(_ status: HTTPResponse.Status, _ language: Language) -> String {
        switch (status.code, language) {
        case (400, .en): return "Invalid request"
        case (400, .id): return "Permintaan tidak valid"
        case (401, .en): return "Not logged in"
        case (401, .id): return "Belum masuk"
        case (403, .en): return "Not allowed"
        case (403, .id): return "Tidak diizinkan"
        case (404, .en): return "Not found"
        case (404, .id): return "Tidak ditemukan"
        case (405, .en): return "Method not allowed"
        case (405, .id): return "Metode tidak diizinkan"
        case (409, .en): return "Conflict"
        case (409, .id): return "Konflik"
        case (413, .en): return "Request too large"
        case (413, .id): return "Permintaan terlalu besar"
        case (415, .en): return "Unsupported media type"
        case (415, .id): return "Jenis isi tidak didukung"
        case (422, .en): return "Refused by a rule"
        case (422, .id): return "Ditolak oleh aturan"
        case (429, .en): return "Too many attempts"
        case (429, .id): return "Terlalu banyak percobaan"
        case (503, .en): return "Not ready"
        case (503, .id): return "Belum siap"
        case (_, .en): return "Server error"
        case (_, .id): return "Kesalahan server"
        }
    }

    /// The problem in `language`; `atField` leaves out the field's name, for a message shown
    /// next to the field itself.
    static func message(_ problem: Problem, _ language: Language, atField: Bool = false) -> String {
        let field = atField ? "" : problem.field.map { "\($0): " } ?? ""
        switch language {
        case .en:
            return field + problem.detail
        case .id:
            let sentence: String
            switch problem.code {
            case "unauthenticated": return "Silakan masuk atau kirim token."
            case "sessionExpired": return "Sesi telah berakhir: silakan masuk lagi."
            case "loginFailed": return "Nama login atau kata sandi salah."
            case "tooManyLoginAttempts":
                return "Terlalu banyak percobaan masuk yang gagal: coba lagi dalam \(problem.retryAfterSeconds ?? 0) detik."
            case "internal": return "Server tidak dapat menyelesaikan permintaan; sudah dicatat dengan nomor permintaan."
            case "claimChanged": sentence = "Klaim telah diubah orang lain; muat ulang lalu coba lagi"
            case "linesChanged": sentence = "Baris klaim telah berubah sejak halaman dibuka; muat ulang lalu coba lagi"
            case "requestKeyReused": sentence = "Formulir ini sudah membuat klaim dengan isi lain; buka klaim itu untuk mengubahnya"
            case "overBudget": sentence = "Melebihi anggaran"
            case "periodClosed": sentence = "Periode sudah ditutup"
            default:
                switch problem.status.code {
                case 400:
                    // Next to its field, the field goes without saying.
                    sentence = atField ? "Isian tidak valid"
                        : problem.field.map { "Isian '\($0)' tidak valid" } ?? "Permintaan tidak valid"
                case 403: sentence = "Anda tidak diizinkan melakukan ini"
                case 404: sentence = "Tidak ditemukan"
                case 409: sentence = "Keadaan data tidak mengizinkan langkah ini"
                case 413: sentence = "Isi permintaan terlalu besar"
                case 422: sentence = "Ditolak oleh aturan"
                default: sentence = "Permintaan tidak dapat diproses"
                }
            }
            return "\(sentence) — \(field)\(problem.detail)"
        }
    }
}
