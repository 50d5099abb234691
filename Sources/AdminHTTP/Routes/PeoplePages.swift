import FeeClaims
import Foundation
import Hummingbird
import LedgerCore
import LedgerStore
import Logging

/// The people list (everyone but claimants reads it, a coordinator their district's; bank
/// accounts only for roles that handle payments), and the logins, which admins manage:
/// a login given to someone on the people list, or disabled (never deleted).
struct PeoplePages {
    let kit: PageKit
    let access: LedgerAccess
    let passwords: PasswordHasher

    func register(on router: RouterGroup<AdminRequestContext>) {
        router.get("people") { request, _ in try await people(request) }
        router.get("users") { request, _ in
            guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
            guard AccessPolicy.allows(.manageUsers, user) else { return PageKit.redirect("/") }
            return try await users(request, user: user, form: .init())
        }
        router.post("users") { request, context in try await addUser(request, context) }
        router.post("users/{person}/disable") { request, context in try await disableUser(request, context) }
    }

    private func people(_ request: Request) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.readPeople, user) else { return PageKit.redirect("/") }
        let district = AccessPolicy.peopleDistrict(user)
        let showBank = AccessPolicy.allows(.readBankAccounts, user)
        let people = try await access.run { try $0.people() }.filter { district == nil || $0.district == district }
        return kit.page("people", [
            "title": PageKit.text("people_title", request), "showBank": showBank,
            "people": people.map { person -> [String: Any] in
                var values: [String: Any] = [
                    "id": person.id, "name": person.name, "district": person.district ?? "–",
                    "roles": person.roles.sorted().map(\.rawValue).joined(separator: ", "),
                    "active": person.activeFrom.description + " – " + (person.activeTo?.description ?? ""),
                ]
                if showBank { values["bankAccount"] = person.bankAccount ?? "–" }
                return values
            },
        ], request, user: user)
    }

    /// The add-login form: what was typed (never the password) and the errors by field.
    struct UserForm {
        var person = ""
        var errors: [String: String] = [:]
        var formError: String?
    }

    private func users(_ request: Request, user: Person, form: UserForm, status: HTTPResponse.Status = .ok)
        async throws -> Response {
        let (accounts, people) = try await access.run { ledger in (try ledger.users(), try ledger.people()) }
        let withLogin = Set(accounts.map(\.person.id))
        let today = try access.today()
        var values: [String: Any] = [
            "title": PageKit.text("users_title", request), "person": form.person,
            "users": accounts.map { account -> [String: Any] in
                [
                    "id": account.person.id, "name": account.person.name,
                    "roles": account.person.roles.sorted().map(\.rawValue).joined(separator: ", "),
                    "createdAt": account.createdAt.description, "createdBy": account.createdBy,
                    "disabled": account.disabledAt != nil, "tokens": account.activeTokens,
                    "canDisable": account.disabledAt == nil && account.person.id != user.id,
                ]
            },
            // People still active (or about to start) who have no login yet.
            "candidates": people.filter { !withLogin.contains($0.id) && ($0.activeTo.map { $0 >= today } ?? true) }.map {
                ["id": $0.id, "name": $0.name, "selected": $0.id == form.person]
            },
            "passwordMin": PasswordHasher.lengthMin,
        ]
        for (field, error) in form.errors { values["\(field)Error"] = error }
        if let formError = form.formError { values["formError"] = formError }
        return kit.page("users", values, request, user: user, status: status)
    }

    private func addUser(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.manageUsers, user) else { return PageKit.redirect("/") }
        var request = request
        let submitted = try await PageRoutes.form(&request)
        var form = UserForm(person: (submitted["person"] ?? "").trimmingCharacters(in: .whitespaces))
        guard CSRF.accepts(request, field: submitted.csrf) else {
            form.formError = PageKit.text("csrf_refused", request)
            return try await users(request, user: user, form: form, status: .forbidden)
        }
        let password = submitted.password ?? ""
        if form.person.isEmpty { form.errors["person"] = PageKit.text("field_required", request) }
        if password.isEmpty { form.errors["password"] = PageKit.text("field_required", request) }
        if !password.isEmpty, password != (submitted["passwordAgain"] ?? "") {
            form.errors["passwordAgain"] = PageKit.text("password_mismatch", request)
        }
        guard form.errors.isEmpty else { return try await users(request, user: user, form: form, status: .badRequest) }
        let now = access.now
        do {
            let hash = try await passwords.hash(password)
            let person = form.person
            try await access.run { try $0.addUser(person: person, passwordHash: hash, by: user.id, now: now) }
        } catch {
            let refusal = try PageRefusal(error, request)
            if let field = refusal.field, ["person", "password"].contains(field) {
                form.errors[field] = refusal.fieldMessage
            } else {
                form.formError = refusal.message
            }
            return try await users(request, user: user, form: form, status: refusal.status)
        }
        context.notes.user = user.id
        context.record("user added", ["person": .string(form.person)])
        return PageKit.redirect("/users")
    }

    private func disableUser(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let user = await kit.signedIn(request) else { return PageKit.redirect("/login") }
        guard AccessPolicy.allows(.manageUsers, user) else { return PageKit.redirect("/") }
        let person = try context.parameters.path("person")
        var request = request
        let submitted = try await PageRoutes.form(&request)
        guard CSRF.accepts(request, field: submitted.csrf) else {
            return try await users(request, user: user, form: .init(formError: PageKit.text("csrf_refused", request)),
                                   status: .forbidden)
        }
        // An admin who locks themselves out leaves no one to undo it.
        guard person != user.id else {
            return try await users(request, user: user, form: .init(formError: PageKit.text("disable_self", request)),
                                   status: .conflict)
        }
        let now = access.now
        do {
            try await access.run { try $0.disableUser(person: person, by: user.id, now: now) }
        } catch {
            let refusal = try PageRefusal(error, request)
            return try await users(request, user: user, form: .init(formError: refusal.message), status: refusal.status)
        }
        context.notes.user = user.id
        context.record("user disabled", ["person": .string(person)])
        return PageKit.redirect("/users")
    }
}
