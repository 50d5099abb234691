import Hummingbird

/// Cross-site request forgery tokens for the pages' forms: a random token in an HttpOnly,
/// SameSite=Strict cookie, repeated in a hidden field of every form; a POST whose field does
/// not match its cookie is refused. (SameSite=Strict already keeps other sites' forms from
/// carrying the session; the token is the second lock.)
enum CSRF {
    static let cookieName = "neraca_csrf"

    /// The browser's token, or a new one with the cookie to set.
    static func token(_ request: Request, secure: Bool) -> (token: String, cookie: Cookie?) {
        if let existing = request.cookies[cookieName]?.value, existing.count == 43 { return (existing, nil) }
        let token = SecretToken.generate().text
        return (token, Cookie(name: cookieName, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
    }

    /// Whether the form's field matches the cookie, compared in constant time.
    static func accepts(_ request: Request, field: String?) -> Bool {
        guard let cookie = request.cookies[cookieName]?.value, let field, cookie.utf8.count == field.utf8.count,
              !cookie.isEmpty else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(cookie.utf8, field.utf8) { difference |= a ^ b }
        return difference == 0
    }
}
