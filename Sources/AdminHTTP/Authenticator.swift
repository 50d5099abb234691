import FeeClaims
import Foundation
import Hummingbird
import LedgerCore
import LedgerStore
import Synchronization

/// How long sessions live and how logins are throttled.
public struct SessionPolicy: Sendable {
    /// A session unused this long ends.
    public var idleSeconds: Int64 = 30 * 60
    /// A session ends this long after login, used or not.
    public var absoluteSeconds: Int64 = 12 * 60 * 60
    /// Failed logins allowed under one name within `throttleWindowSeconds`…
    public var failuresAllowed = 5
    /// …after which further attempts are refused for as long.
    public var throttleWindowSeconds: Int64 = 15 * 60
    /// Cookies marked `Secure` (set when the server sits behind TLS).
    public var secureCookies = false

    public init() {}
}

/// Logins, sessions and tokens.
///
/// A request is authenticated by `Authorization: Bearer TOKEN` or by the session cookie.
/// Both secrets are random (`SecretToken`) and only their SHA-256 is stored, so a copy of
/// the database gives no one a way in.
final class Authenticator: Sendable {
    static let cookieName = "neraca_session"

    let access: LedgerAccess
    let passwords: PasswordHasher
    let policy: SessionPolicy
    /// Live tokens seen lately and their people, so that scripts calling many times do not
    /// cost two reads each; kept for a few seconds only, so that a disabled user is locked
    /// out, and a change of roles applies, soon after.
    private let tokenCache = Mutex<[EntryHash: (person: Person, until: Int64)]>([:])
    private static let tokenCacheMilliseconds: Int64 = 5_000
    /// Password checks running now, and how many may run at once.
    private let checksInFlight = Mutex(0)
    private static let checksInFlightMax = 16
    /// Longer than any person id.
    static let loginBytesMax = 64

    init(access: LedgerAccess, passwords: PasswordHasher, policy: SessionPolicy) {
        self.access = access
        self.passwords = passwords
        self.policy = policy
    }

    // MARK: - Login and logout

    /// Checks `password` for `login` (a person id) and starts a session.
    ///
    /// The attempt is counted before the password is checked, in one transaction with the
    /// throttle's check, so parallel attempts cannot slip past it; a success forgets it.
    /// - Returns: the session cookie's value, shown once.
    /// - Throws: `APIError.tooManyLoginAttempts` while throttled or while too many logins
    ///   are being checked at once, `loginFailed` for any wrong name, password, disabled or
    ///   inactive login alike.
    func login(_ login: String, password: String) async throws -> (cookie: SecretToken, person: Person) {
        // No person id is this long: refused at once, with the same answer (nothing stored).
        guard login.utf8.count <= Self.loginBytesMax else { throw APIError.loginFailed }
        let now = access.now
        let throttleKey = login.uppercased()
        let window = policy.throttleWindowSeconds * 1000
        let allowed = policy.failuresAllowed
        if let lockedUntil = try await access.run({
            try $0.reserveLoginAttempt(login: throttleKey, now: now, window: window, allowed: allowed)
        }) {
            let seconds = (lockedUntil.millisecondsSince1970 - now.millisecondsSince1970 + 999) / 1000
            throw APIError.tooManyLoginAttempts(retryAfterSeconds: Int(max(1, seconds)))
        }
        // bcrypt costs ~275 ms: beyond a few at a time, answer "try again" rather than queue.
        guard checksInFlight.withLock({ count in
            guard count < Self.checksInFlightMax else { return false }
            count += 1
            return true
        }) else { throw APIError.tooManyLoginAttempts(retryAfterSeconds: 1) }
        defer { checksInFlight.withLock { $0 -= 1 } }
        let credential = try await access.run { try $0.credential(person: login) }
        let matches = try await passwords.verify(password, hash: credential?.passwordHash)
        let person = try await access.run { try $0.person(login) }
        let today = try access.today()
        guard matches, let credential, !credential.disabled, let person, person.isActive(on: today) else {
            throw APIError.loginFailed
        }
        let cookie = SecretToken.generate()
        // A session last used longer ago than the absolute limit can never be used again.
        let deadBefore = Timestamp(millisecondsSince1970: now.millisecondsSince1970 - policy.absoluteSeconds * 1000)
        try await access.run { ledger in
            try ledger.startSession(person: person.id, tokenHash: cookie.hash, now: now)
            try ledger.clearLoginFailures(login: throttleKey)
            try ledger.pruneSessions(endedBefore: deadBefore)
        }
        // A password stored at another cost (an older default) is hashed again at the
        // server's, so that every login costs the same to check. The login stands whether
        // or not this succeeds (a password kept from before the rules would fail them).
        if PasswordHasher.cost(of: credential.passwordHash) != passwords.cost,
           let rehashed = try? await passwords.hash(password) {
            _ = try? await access.run { try $0.setPassword(person: person.id, passwordHash: rehashed, by: "rehash", now: now,
                                                             endingSessions: false) }
        }
        return (cookie, person)
    }

    func logout(_ identity: Identity) async throws {
        guard case .session(let hash) = identity.credential else { return }
        let now = access.now
        try await access.run { try $0.endSession(hash, now: now) }
    }

    // MARK: - Authenticating requests

    /// The user behind the request's bearer token or session cookie; nil with neither.
    /// - Throws: `APIError.unauthenticated` for a token that is unknown, revoked, or whose
    ///   user is disabled or no longer active; `sessionExpired` for such a session cookie.
    func identify(_ request: Request) async throws -> Identity? {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.unauthenticated }
            return Identity(person: try await tokenOwner(String(parts[1])), credential: .token)
        }
        guard let cookie = request.cookies[Self.cookieName]?.value else { return nil }
        return try await sessionOwner(cookie)
    }

    private func tokenOwner(_ token: String) async throws -> Person {
        let hash = SecretToken.hash(of: token)
        let now = access.now.millisecondsSince1970
        let cached = tokenCache.withLock { cache -> Person? in
            guard let entry = cache[hash], entry.until > now else { return nil }
            return entry.person
        }
        if let cached {
            guard cached.isActive(on: try access.today()) else { throw APIError.unauthenticated }
            return cached
        }
        guard let owner = try await access.run({ try $0.tokenOwner(hash) }), let person = try await activePerson(owner)
        else { throw APIError.unauthenticated }
        tokenCache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[hash] = (person, now + Self.tokenCacheMilliseconds)
        }
        return person
    }

    private func sessionOwner(_ cookie: String) async throws -> Identity {
        let hash = SecretToken.hash(of: cookie)
        let now = access.now
        guard let session = try await access.run({ try $0.session(hash) }), session.endedAt == nil, !session.userDisabled
        else { throw APIError.sessionExpired }
        let idleEnd = session.lastSeenAt.millisecondsSince1970 + policy.idleSeconds * 1000
        let absoluteEnd = session.createdAt.millisecondsSince1970 + policy.absoluteSeconds * 1000
        guard now.millisecondsSince1970 < min(idleEnd, absoluteEnd) else {
            try await access.run { try $0.endSession(hash, now: now) }
            throw APIError.sessionExpired
        }
        guard let person = try await activePerson(session.person) else { throw APIError.sessionExpired }
        // Writing last use once a minute is enough for a 30-minute idle limit.
        if now.millisecondsSince1970 - session.lastSeenAt.millisecondsSince1970 >= 60_000 {
            try await access.run { try $0.touchSession(hash, now: now) }
        }
        return Identity(person: person, credential: .session(hash))
    }

    private func activePerson(_ id: String) async throws -> Person? {
        let today = try access.today()
        guard let person = try await access.run({ try $0.person(id) }), person.isActive(on: today) else { return nil }
        return person
    }

    // MARK: - Cookies

    func sessionCookie(_ token: SecretToken) -> Cookie {
        Cookie(
            name: Self.cookieName, value: token.text, maxAge: Int(policy.absoluteSeconds), path: "/",
            secure: policy.secureCookies, httpOnly: true, sameSite: .strict)
    }

    func expiredCookie() -> Cookie { Self.expiredCookie(secure: policy.secureCookies) }

    /// The session cookie emptied, for the browser to drop.
    static func expiredCookie(secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }
}
