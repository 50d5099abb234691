import FeeClaims

/// What a request wants to do, as the access policy judges it.
enum Permission: String, Sendable, CaseIterable {
    /// Accounts, entries, the trial balance.
    case readLedger = "read the ledger"
    /// Post and reverse entries.
    case writeLedger = "post or reverse entries"
    case readBudgets = "read budgets"
    case readPeople = "read the people list"
    /// Bank accounts on the people list.
    case readBankAccounts = "read bank accounts"
    /// Claims in the user's scope (`ClaimScope`).
    case readClaims = "read claims"
    /// Create, edit and move claims; FeeClaims then checks the role and segregation of
    /// duties of each step.
    case actOnClaims = "act on claims"
    case readFindings = "read findings"
    case decideFindings = "decide findings"
    case export = "export audit bundles"
    case manageUsers = "manage users"
}

/// Which claims a user sees.
enum ClaimScope: Equatable, Sendable {
    case all
    case district(String)
    case own(String)
    case none
}

/// Authorisation by role, in one place: every route asks here before it touches the store.
///
/// The roles a permission needs are listed below. Two rules stand above them:
/// an auditor reads everything and changes nothing, whatever other roles they hold; an
/// admin manages users and policies and never touches claims or money.
enum AccessPolicy {
    static func roles(for permission: Permission) -> Set<Role> {
        let ledgerReaders: Set<Role> = [.financeOfficer, .treasurer, .auditor, .director, .programManager, .complianceOfficer]
        switch permission {
        case .readLedger: return ledgerReaders
        case .writeLedger: return [.financeOfficer, .treasurer]
        case .readBudgets: return ledgerReaders.union([.coordinator])
        case .readPeople:
            return [.admin, .coordinator, .financeOfficer, .treasurer, .auditor, .director, .programManager, .complianceOfficer]
        case .readBankAccounts: return [.financeOfficer, .treasurer, .auditor]
        case .readClaims: return Set(Role.allCases).subtracting([.admin])
        case .actOnClaims:
            return [.claimant, .coordinator, .programManager, .director, .financeOfficer, .treasurer, .complianceOfficer]
        case .readFindings: return [.complianceOfficer, .auditor, .director]
        case .decideFindings: return [.complianceOfficer]
        case .export: return [.auditor, .financeOfficer, .director]
        case .manageUsers: return [.admin]
        }
    }

    /// Permissions that change something: refused to anyone holding the auditor role.
    static let changes: Set<Permission> = [.writeLedger, .actOnClaims, .decideFindings, .manageUsers]
    /// Permissions over claims and money: refused to anyone holding the admin role.
    static let money: Set<Permission> = [.readLedger, .writeLedger, .readBudgets, .readBankAccounts, .readClaims,
                                         .actOnClaims, .readFindings, .decideFindings, .export]

    static func allows(_ permission: Permission, _ person: Person) -> Bool {
        if person.roles.contains(.auditor), changes.contains(permission) { return false }
        if person.roles.contains(.admin), money.contains(permission) { return false }
        return !person.roles.isDisjoint(with: roles(for: permission))
    }

    /// - Throws: `APIError.roleForbidden` naming the permission.
    static func require(_ permission: Permission, _ person: Person) throws {
        guard allows(permission, person) else { throw APIError.roleForbidden(action: permission.rawValue) }
    }

    /// The claims `person` sees: all for head-office roles, the district's for a
    /// coordinator, their own for a claimant.
    static func claimScope(_ person: Person) -> ClaimScope {
        guard allows(.readClaims, person) else { return .none }
        let seesAll: Set<Role> = [.programManager, .director, .financeOfficer, .treasurer, .complianceOfficer, .auditor]
        if !person.roles.isDisjoint(with: seesAll) { return .all }
        if person.roles.contains(.coordinator), let district = person.district { return .district(district) }
        if person.roles.contains(.coordinator) { return .all }
        return .own(person.id)
    }

    /// Whether `person` may see the claim of `claimant` in `district`.
    static func canSee(claimant: String, district: String, _ person: Person) -> Bool {
        switch claimScope(person) {
        case .all: return true
        case .district(let code): return code == district || claimant == person.id
        case .own(let id): return claimant == id
        case .none: return false
        }
    }

    /// The district whose people `person` lists: a coordinator's own; nil for all.
    static func peopleDistrict(_ person: Person) -> String? {
        let seesAll: Set<Role> = [.admin, .financeOfficer, .treasurer, .auditor, .director, .programManager,
                                  .complianceOfficer]
        return person.roles.isDisjoint(with: seesAll) ? person.district : nil
    }

    /// The districts whose budgets `person` reads: nil for all.
    static func budgetDistrict(_ person: Person) -> String? {
        let seesAll = roles(for: .readLedger)
        if !person.roles.isDisjoint(with: seesAll) { return nil }
        return person.district
    }
}
