import FeeClaims
import Hummingbird
import Logging

/// Login and logout for the pages (a session cookie), and who is logged in.
struct SessionRoutes {
    let access: LedgerAccess
    let authenticator: Authenticator

    /// Login, registered before the authentication middleware: a stale cookie the browser
    /// still sends must never stand in the way of logging in again.
    func registerLogin(on api: RouterGroup<AdminRequestContext>) {
        api.post("session") { request, context in
            var request = request
            var body = try await JSONBody.object(&request)
            let login = try body.string("login")
            let password = try body.string("password")
            try body.finish()
            let (cookie, person) = try await authenticator.login(login, password: password)
            context.notes.user = person.id
            context.record("login", [:])
            var response = JSONBody.response(UserJSON(person), status: .created)
            response.setCookie(authenticator.sessionCookie(cookie))
            return response
        }
    }

    /// Logout and who is logged in, behind the authentication middleware.
    func register(on api: RouterGroup<AdminRequestContext>) {
        api.delete("session") { _, context in
            guard let identity = context.identity else { throw APIError.unauthenticated }
            try await authenticator.logout(identity)
            context.record("logout", [:])
            var response = Response(status: .noContent)
            response.setCookie(authenticator.expiredCookie())
            return response
        }
        api.get("me") { _, context in JSONBody.response(UserJSON(try context.user())) }
    }
}
