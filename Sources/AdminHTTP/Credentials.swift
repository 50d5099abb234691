import HummingbirdBcrypt
import LedgerCore
import LedgerStore
import NIOPosix
import Synchronization

/// Passwords: checked against the house rule, hashed and verified with bcrypt on the
/// thread pool (a hash costs ~275 ms at cost 12 here: never on an event loop).
public struct PasswordHasher: Sendable {
    public static let lengthMin = 12
    /// bcrypt reads at most 72 bytes: a longer password would be cut silently.
    public static let bytesMax = 72
    public static let productionCost: UInt8 = 12

    /// log2 of bcrypt's rounds; tests use the minimum (4) to stay fast.
    public let cost: UInt8
    /// A hash of a random password at `cost`, verified when the login name is unknown, so
    /// that an unknown name takes as long to refuse as a wrong password (made on first use).
    private let decoy = DecoyHash()

    public init(cost: UInt8 = PasswordHasher.productionCost) {
        self.cost = min(max(cost, 4), 31)
    }

    /// The cost a bcrypt hash was made with (`$2b$12$…` → 12), or nil if it is not one.
    public static func cost(of hash: String) -> UInt8? {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].isEmpty, parts[2].count == 2 else { return nil }
        return UInt8(parts[2])
    }

    /// Checks the rule: at least 12 characters, at most 72 bytes, no control characters
    /// (bcrypt would stop at a NUL).
    /// - Throws: `UserError.passwordTooShort`, `passwordTooLong`; `LedgerError.textHasControlCharacters`.
    public static func check(_ password: String) throws {
        guard password.count >= lengthMin else { throw UserError.passwordTooShort(minimum: lengthMin) }
        guard password.utf8.count <= bytesMax else { throw UserError.passwordTooLong(maximum: bytesMax) }
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw LedgerError.textHasControlCharacters(field: "password")
        }
    }

    /// The bcrypt hash of `password`, after checking it.
    public func hash(_ password: String) async throws -> String {
        try Self.check(password)
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// The same, for the command line (no event loop to keep free).
    public func hashBlocking(_ password: String) throws -> String {
        try Self.check(password)
        return Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` matches `hash`; with no hash, the decoy is verified and the answer is false.
    func verify(_ password: String, hash: String?) async throws -> Bool {
        let cost = cost
        let decoy = decoy
        let matches = try await NIOThreadPool.singleton.runIfActive {
            Bcrypt.verify(password, hash: hash ?? decoy.hash { Bcrypt.hash(SecretToken.generate().text, cost: cost) })
        }
        return matches && hash != nil
    }
}

/// The decoy hash, made once (a class: `PasswordHasher` is a value copied around).
private final class DecoyHash: Sendable {
    private let value = Mutex<String?>(nil)

    func hash(_ make: () -> String) -> String {
        value.withLock { value in
            if let value { return value }
            let made = make()
            value = made
            return made
        }
    }
}

/// A random secret (session cookie or API token): 32 bytes from the system's secure
/// generator, written as URL-safe base64 without padding. Only its SHA-256 is stored.
public struct SecretToken: Sendable {
    public let text: String

    public static func generate() -> SecretToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return SecretToken(text: Base64URL.encode(bytes))
    }

    /// What the store keeps and looks up.
    public var hash: EntryHash { Self.hash(of: text) }

    public static func hash(of text: String) -> EntryHash { EntryHash.sha256(of: Array(text.utf8)) }
}

/// URL-safe base64 without padding (RFC 4648 §5).
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for (offset, byte) in chunk.enumerated() { value |= Int(byte) << (16 - 8 * offset) }
            for position in 0...chunk.count { out.append(alphabet[(value >> (18 - 6 * position)) & 0x3F]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
