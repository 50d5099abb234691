import FeeClaims
import Foundation
import GRDB
import LedgerCore

/// Why a change to the server's users was refused.
public enum UserError: Error, Equatable, Sendable {
    /// Logins belong to people on the people list.
    case personUnknown(field: String, id: String)
    case userExists(person: String)
    case userUnknown(person: String)
    case userDisabled(person: String)
    case passwordTooShort(minimum: Int)
    case passwordTooLong(maximum: Int)
    /// The pages speak English (`en`) and Indonesian (`id`).
    case languageUnknown(language: String)

    /// The input field at fault.
    public var field: String {
        switch self {
        case .personUnknown(let field, _): return field
        case .userExists, .userUnknown, .userDisabled: return "person"
        case .passwordTooShort, .passwordTooLong: return "password"
        case .languageUnknown: return "language"
        }
    }

    public var message: String {
        switch self {
        case .personUnknown(_, let id): return "no person '\(id)' on the people list"
        case .userExists(let person): return "'\(person)' has a login already"
        case .userUnknown(let person): return "'\(person)' has no login"
        case .userDisabled(let person): return "the login of '\(person)' is disabled"
        case .passwordTooShort(let minimum): return "a password has at least \(minimum) characters"
        case .passwordTooLong(let maximum): return "a password has at most \(maximum) bytes"
        case .languageUnknown(let language): return "'\(language)' is not a language of the pages (en, id)"
        }
    }
}

/// A login to the admin server, as `users list` shows it.
public struct UserAccount: Hashable, Sendable {
    public let person: Person
    public let createdAt: Timestamp
    public let createdBy: String
    public let disabledAt: Timestamp?
    /// API tokens that are not revoked.
    public let activeTokens: Int
}

/// What a login checks: the stored bcrypt hash, and whether the login may be used.
public struct StoredCredential: Sendable {
    public let person: String
    public let passwordHash: String
    public let disabled: Bool
}

/// A stored session, found by the SHA-256 of its cookie.
public struct StoredSession: Sendable {
    public let person: String
    public let createdAt: Timestamp
    public let lastSeenAt: Timestamp
    public let endedAt: Timestamp?
    /// True once the user is disabled: the session no longer counts.
    public let userDisabled: Bool
}

extension LedgerDatabase {
    // MARK: - Users

    /// Gives `person` a login with the bcrypt `passwordHash` (hashed by the caller: the
    /// store never sees a password).
    /// - Throws: `UserError.personUnknown`, `userExists`.
    public func addUser(person: String, passwordHash: String, by actor: String, now: Timestamp) throws {
        try pool.write { db in
            guard try catalog(db).claims.people[person] != nil else {
                throw UserError.personUnknown(field: "person", id: person)
            }
            guard try db.cachedValue(Int.self, sql: "SELECT 1 FROM users WHERE person = ?", arguments: [person]) == nil
            else { throw UserError.userExists(person: person) }
            try db.cachedExecute(
                sql: "INSERT INTO users (person, password_hash, created_at, created_by) VALUES (?, ?, ?, ?)",
                arguments: [person, passwordHash, now.millisecondsSince1970, actor])
            try Self.recordUserEvent(person: person, action: "add", actor: actor, now: now, in: db)
        }
    }

    /// Replaces the password of `person` (a bcrypt hash); their sessions end, unless the
    /// same password is only hashed again (`endingSessions: false`).
    /// - Throws: `UserError.userUnknown`.
    public func setPassword(
        person: String, passwordHash: String, by actor: String, now: Timestamp, endingSessions: Bool = true
    ) throws {
        try pool.write { db in
            guard try db.cachedValue(Int.self, sql: "SELECT 1 FROM users WHERE person = ?", arguments: [person]) != nil
            else { throw UserError.userUnknown(person: person) }
            try db.cachedExecute(sql: "UPDATE users SET password_hash = ? WHERE person = ?", arguments: [passwordHash, person])
            if endingSessions {
                try db.cachedExecute(
                    sql: "UPDATE sessions SET ended_at = ? WHERE person = ? AND ended_at IS NULL",
                    arguments: [now.millisecondsSince1970, person])
            }
            try Self.recordUserEvent(person: person, action: "password", actor: actor, now: now, in: db)
        }
    }

    /// Disables the login of `person`: its sessions end and its tokens are revoked at once.
    /// - Throws: `UserError.userUnknown`.
    public func disableUser(person: String, by actor: String, now: Timestamp) throws {
        try pool.write { db in
            guard let disabledAt = try db.cachedRow(
                sql: "SELECT disabled_at FROM users WHERE person = ?", arguments: [person])
            else { throw UserError.userUnknown(person: person) }
            guard (disabledAt["disabled_at"] as Int64?) == nil else { return }
            let at = now.millisecondsSince1970
            try db.cachedExecute(sql: "UPDATE users SET disabled_at = ? WHERE person = ?", arguments: [at, person])
            try db.cachedExecute(
                sql: "UPDATE sessions SET ended_at = ? WHERE person = ? AND ended_at IS NULL", arguments: [at, person])
            try db.cachedExecute(
                sql: "UPDATE api_tokens SET revoked_at = ? WHERE person = ? AND revoked_at IS NULL",
                arguments: [at, person])
            try Self.recordUserEvent(person: person, action: "disable", actor: actor, now: now, in: db)
        }
    }

    /// Every login, by person id.
    public func users() throws -> [UserAccount] {
        try pool.read { db in
            let people = try catalog(db).claims.people
            return try db.cachedRows(sql: """
                SELECT u.person, u.created_at, u.created_by, u.disabled_at,
                       (SELECT COUNT(*) FROM api_tokens t WHERE t.person = u.person AND t.revoked_at IS NULL) AS tokens
                FROM users u ORDER BY u.person
                """).map { row in
                let id: String = row["person"]
                guard let person = people[id] else { throw StoreError.corrupt("user \(id) is not on the people list") }
                return UserAccount(
                    person: person, createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
                    createdBy: row["created_by"],
                    disabledAt: (row["disabled_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
                    activeTokens: row["tokens"])
            }
        }
    }

    /// The language `person` chose on the pages (`en`, `id`), or nil when they never chose.
    public func userLanguage(person: String) throws -> String? {
        try pool.read { db in
            try db.cachedValue(String.self, sql: "SELECT language FROM users WHERE person = ?", arguments: [person])
        }
    }

    /// Remembers the language `person` chose on the pages.
    /// - Throws: `UserError.languageUnknown` for anything but `en` and `id`; `userUnknown`.
    public func setUserLanguage(person: String, language: String) throws {
        guard ["en", "id"].contains(language) else { throw UserError.languageUnknown(language: language) }
        try pool.write { db in
            try db.cachedExecute(sql: "UPDATE users SET language = ? WHERE person = ?", arguments: [language, person])
            guard db.changesCount == 1 else { throw UserError.userUnknown(person: person) }
        }
    }

    /// The stored credential of `person`, or nil when there is no such login.
    public func credential(person: String) throws -> StoredCredential? {
        try pool.read { db in
            try db.cachedRow(sql: "SELECT password_hash, disabled_at FROM users WHERE person = ?", arguments: [person])
                .map { row in
                    StoredCredential(
                        person: person, passwordHash: row["password_hash"],
                        disabled: (row["disabled_at"] as Int64?) != nil)
                }
        }
    }

    // MARK: - Tokens and sessions

    /// Stores an API token of `person` by its SHA-256 (the token itself is shown once and
    /// never stored).
    /// - Throws: `UserError.userUnknown`, `userDisabled`.
    public func addToken(person: String, tokenHash: EntryHash, by actor: String, now: Timestamp) throws {
        try pool.write { db in
            try Self.requireEnabledUser(person, in: db)
            try db.cachedExecute(
                sql: "INSERT INTO api_tokens (token_hash, person, created_at, created_by) VALUES (?, ?, ?, ?)",
                arguments: [Data(tokenHash.bytes), person, now.millisecondsSince1970, actor])
            try Self.recordUserEvent(person: person, action: "token", actor: actor, now: now, in: db)
        }
    }

    /// The person whose live token hashes to `tokenHash`, or nil (unknown, revoked, or the
    /// user disabled).
    public func tokenOwner(_ tokenHash: EntryHash) throws -> String? {
        try pool.read { db in
            try db.cachedValue(String.self, sql: """
                SELECT t.person FROM api_tokens t JOIN users u ON u.person = t.person
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL
                """, arguments: [Data(tokenHash.bytes)])
        }
    }

    /// Starts a session for `person`, found later by `tokenHash` (the SHA-256 of its cookie).
    /// - Throws: `UserError.userUnknown`, `userDisabled`.
    public func startSession(person: String, tokenHash: EntryHash, now: Timestamp) throws {
        try pool.write { db in
            try Self.requireEnabledUser(person, in: db)
            try db.cachedExecute(sql: """
                INSERT INTO sessions (token_hash, person, created_at, last_seen_at) VALUES (?, ?, ?, ?)
                """, arguments: [Data(tokenHash.bytes), person, now.millisecondsSince1970, now.millisecondsSince1970])
        }
    }

    public func session(_ tokenHash: EntryHash) throws -> StoredSession? {
        try pool.read { db in
            try db.cachedRow(sql: """
                SELECT s.person, s.created_at, s.last_seen_at, s.ended_at, u.disabled_at
                FROM sessions s JOIN users u ON u.person = s.person WHERE s.token_hash = ?
                """, arguments: [Data(tokenHash.bytes)]).map { row in
                StoredSession(
                    person: row["person"], createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
                    lastSeenAt: Timestamp(millisecondsSince1970: row["last_seen_at"]),
                    endedAt: (row["ended_at"] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
                    userDisabled: (row["disabled_at"] as Int64?) != nil)
            }
        }
    }

    /// Records that the session was used at `now` (what its idle expiry counts from).
    public func touchSession(_ tokenHash: EntryHash, now: Timestamp) throws {
        try pool.write { db in
            try db.cachedExecute(
                sql: "UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?) WHERE token_hash = ? AND ended_at IS NULL",
                arguments: [now.millisecondsSince1970, Data(tokenHash.bytes)])
        }
    }

    /// Ends the session (logout, or found expired); ending it twice changes nothing.
    public func endSession(_ tokenHash: EntryHash, now: Timestamp) throws {
        try pool.write { db in
            try db.cachedExecute(
                sql: "UPDATE sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                arguments: [now.millisecondsSince1970, Data(tokenHash.bytes)])
        }
    }

    // MARK: - Login throttling

    /// Counts a login attempt under the name typed (known or not, so that the throttle says
    /// nothing about which names exist) before its password is checked, in one transaction
    /// with the check of the lock: attempts sent all at once are counted one by one. A
    /// successful login then forgets them (`clearLoginFailures`).
    ///
    /// The name is locked for `window` from the moment `allowed` attempts fall within
    /// `window` of each other; attempts refused while it is locked are not counted, so the
    /// lock ends. Attempts older than twice the window are deleted on the way.
    /// - Returns: nil when the attempt may go ahead, else when the lock ends.
    public func reserveLoginAttempt(login: String, now: Timestamp, window: Int64, allowed: Int) throws -> Timestamp? {
        let allowed = max(allowed, 1)
        let at = now.millisecondsSince1970
        return try pool.write { db in
            try db.cachedExecute(sql: "DELETE FROM login_failures WHERE login = ? AND at < ?",
                                 arguments: [login, at - 2 * window])
            let attempts = try db.cachedValues(Int64.self, sql: """
                SELECT at FROM login_failures WHERE login = ? AND at > ? ORDER BY at
                """, arguments: [login, at - 2 * window])
            var lockedUntil: Int64?
            if attempts.count >= allowed {
                for index in (allowed - 1)..<attempts.count where attempts[index] - attempts[index - allowed + 1] <= window {
                    lockedUntil = max(lockedUntil ?? 0, attempts[index] + window)
                }
            }
            if let lockedUntil, lockedUntil > at { return Timestamp(millisecondsSince1970: lockedUntil) }
            try db.cachedExecute(sql: "INSERT INTO login_failures (login, at) VALUES (?, ?)", arguments: [login, at])
            return nil
        }
    }

    /// Deletes the sessions that ended, or were last used, before `before`: they can no
    /// longer be used, and the table must not grow with every login.
    public func pruneSessions(endedBefore before: Timestamp) throws {
        try pool.write { db in
            try db.cachedExecute(sql: "DELETE FROM sessions WHERE COALESCE(ended_at, last_seen_at) < ?",
                                 arguments: [before.millisecondsSince1970])
        }
    }

    // MARK: - Demo databases

    /// Marks the database as a demo (`neraca serve --demo` built it).
    public func markAsDemo(now: Timestamp) throws {
        try pool.write { db in
            try db.cachedExecute(sql: "INSERT OR IGNORE INTO ledger_flags (name, set_at) VALUES ('demo', ?)",
                                 arguments: [now.millisecondsSince1970])
        }
    }

    public func isDemo() throws -> Bool {
        try pool.read { db in
            try db.cachedValue(Int.self, sql: "SELECT 1 FROM ledger_flags WHERE name = 'demo'") != nil
        }
    }

    /// Forgets the failed logins under `login` (after a successful one).
    public func clearLoginFailures(login: String) throws {
        try pool.write { db in
            try db.cachedExecute(sql: "DELETE FROM login_failures WHERE login = ?", arguments: [login])
        }
    }


    // MARK: - Helpers

    private static func requireEnabledUser(_ person: String, in db: Database) throws {
        guard let row = try db.cachedRow(sql: "SELECT disabled_at FROM users WHERE person = ?", arguments: [person])
        else { throw UserError.userUnknown(person: person) }
        guard (row["disabled_at"] as Int64?) == nil else { throw UserError.userDisabled(person: person) }
    }

    private static func recordUserEvent(person: String, action: String, actor: String, now: Timestamp,
                                        in db: Database) throws {
        try db.cachedExecute(
            sql: "INSERT INTO user_events (person, action, actor, at) VALUES (?, ?, ?, ?)",
            arguments: [person, action, actor, now.millisecondsSince1970])
    }
}

extension LedgerDatabase {
    /// The person `id` on the people list, or nil; read from the cached catalogue.
    public func person(_ id: String) throws -> Person? {
        try pool.read { db in try catalog(db).claims.people[id] }
    }
}
