/// Every string the pages show, in English and Indonesian. A test holds the two catalogues
/// to the same keys, and every `{{t.key}}` of the templates to a key of both.
enum PageText {
    static let en: [String: String] = [
        "nav_label": "Account",
        "logout": "Log out",
        "switch_language": "Bahasa Indonesia",
        "login_title": "Log in",
        "login_name": "Login (your person id, e.g. P-SBT-003)",
        "password": "Password",
        "login_button": "Log in",
        "login_failed": "The login name or password is wrong.",
        "login_throttled": "Too many failed logins: try again in a few minutes.",
        "login_required": "Type your login.",
        "csrf_refused": "This form has expired: it was opened in another session. Load the page again.",
        "home_title": "Neraca",
        "home_greeting": "Welcome,",
        "home_roles": "Your roles:",
        "home_pages_coming": "The claims, journal, budget and findings pages come next; the API serves them today.",
    ]

    static let id: [String: String] = [
        "nav_label": "Akun",
        "logout": "Keluar",
        "switch_language": "English",
        "login_title": "Masuk",
        "login_name": "Login (nomor orang Anda, mis. P-SBT-003)",
        "password": "Kata sandi",
        "login_button": "Masuk",
        "login_failed": "Nama login atau kata sandi salah.",
        "login_throttled": "Terlalu banyak percobaan masuk yang gagal: coba lagi beberapa menit lagi.",
        "login_required": "Ketik login Anda.",
        "csrf_refused": "Formulir ini kedaluwarsa: dibuka di sesi lain. Muat ulang halaman.",
        "home_title": "Neraca",
        "home_greeting": "Selamat datang,",
        "home_roles": "Peran Anda:",
        "home_pages_coming": "Halaman klaim, jurnal, anggaran dan temuan menyusul; API sudah melayaninya.",
    ]

    static func catalogue(_ language: Language) -> [String: String] {
        switch language {
        case .en: return en
        case .id: return id
        }
    }
}
