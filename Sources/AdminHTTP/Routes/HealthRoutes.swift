import Hummingbird
import LedgerStore

/// `GET /health`: the process answers. `GET /ready`: the database holds a ledger and
/// answers a read, so a load balancer may send requests.
struct HealthRoutes {
    let access: LedgerAccess

    struct Status: Encodable {
        let status: String
    }

    func register(on router: Router<AdminRequestContext>) {
        router.get("health") { _, _ in JSONBody.response(Status(status: "ok")) }
        router.get("ready") { _, _ in
            do {
                _ = try await access.run { try $0.baseCurrency() }
            } catch {
                throw APIError.notReady(reason: "the database holds no ledger or cannot be read")
            }
            return JSONBody.response(Status(status: "ready"))
        }
    }
}
