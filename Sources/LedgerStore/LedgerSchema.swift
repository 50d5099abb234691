import GRDB

/// The database schema, as frozen migrations. A landed migration is never edited: a change
/// is a new migration appended below. `eraseDatabaseOnSchemaChange` is never used.
///
/// SQLite enforces what it can (GRDB recommended practices: "the more responsibility we
/// give to SQLite, the less code we have to write"): NOT NULL, CHECK, foreign keys, unique
/// numbers, and triggers that refuse UPDATE and DELETE of posted entries and postings.
/// One exception: bulk imports prove the foreign keys of the entries and postings they write
/// by counting in their read-back instead of one lookup per row (`withBulkWriteConnection`).
enum LedgerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ledger") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-budgets") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-claims") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4-fraud") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5-vendor-receipts") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6-users") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7-user-language") { db in
            try db.execute(sql: v7)
        }
        migrator.registerMigration("v8-claim-request-key") { db in
            try db.execute(sql: v8)
        }
        return migrator
    }

    static let v1 = """
        CREATE TABLE ledger_meta (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL CHECK (name <> ''),
            organisation TEXT NOT NULL,
            base_currency TEXT NOT NULL CHECK (length(base_currency) = 3),
            fiscal_start_month INTEGER NOT NULL CHECK (fiscal_start_month BETWEEN 1 AND 12),
            created_at INTEGER NOT NULL,
            -- bumped whenever accounts, districts or funding sources change, so that
            -- writers know when their cached catalogue is stale
            catalog_version INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE districts (
            code TEXT PRIMARY KEY CHECK (code <> ''),
            name_en TEXT NOT NULL,
            name_id TEXT NOT NULL,
            province TEXT
        );

        CREATE TABLE funding_sources (
            code TEXT PRIMARY KEY CHECK (code <> ''),
            name TEXT NOT NULL,
            currency TEXT,
            starts_on TEXT,
            ends_on TEXT
        );

        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE CHECK (code <> ''),
            name_en TEXT NOT NULL,
            name_id TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'net-assets', 'income', 'expense')),
            parent_id INTEGER REFERENCES accounts(id),
            currency TEXT CHECK (currency IS NULL OR length(currency) = 3),
            opens_on TEXT,
            closes_on TEXT,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            fiscal_year INTEGER NOT NULL,
            sequence INTEGER NOT NULL CHECK (sequence > 0),
            entry_date TEXT NOT NULL CHECK (length(entry_date) = 10),
            posted_at INTEGER NOT NULL,
            description TEXT NOT NULL CHECK (description <> ''),
            reference TEXT,
            source TEXT NOT NULL CHECK (source IN ('manual', 'claim', 'import', 'reversal', 'closing')),
            author TEXT NOT NULL CHECK (author <> ''),
            idempotency_key TEXT,
            body_digest BLOB CHECK (body_digest IS NULL OR length(body_digest) = 32),
            exchange_rate TEXT,
            reverses_id INTEGER REFERENCES entries(id),
            hash BLOB NOT NULL CHECK (length(hash) = 32),
            UNIQUE (fiscal_year, sequence),
            CHECK ((idempotency_key IS NULL) = (body_digest IS NULL))
        );

        -- Partial unique indexes: most entries have neither key, and NULLs need no index entry.
        CREATE UNIQUE INDEX entries_by_idempotency_key ON entries(idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE UNIQUE INDEX entries_by_reversed_entry ON entries(reverses_id) WHERE reverses_id IS NOT NULL;

        CREATE TABLE postings (
            entry_id INTEGER NOT NULL REFERENCES entries(id),
            line INTEGER NOT NULL CHECK (line >= 0),
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            amount INTEGER NOT NULL CHECK (amount <> 0 AND typeof(amount) = 'integer'),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            district TEXT,
            budget_line TEXT,
            activity TEXT,
            funding_source TEXT,
            party TEXT,
            memo TEXT,
            PRIMARY KEY (entry_id, line)
        ) WITHOUT ROWID;
        -- An account's postings (registers). Integer keys only, appended in entry order,
        -- so keeping it up to date costs little even on multi-million-row imports.
        CREATE INDEX postings_by_account ON postings(account_id);

        -- Running totals per (account, currency), updated in the same transaction as the
        -- postings, so a trial balance never scans the journal.
        CREATE TABLE balances (
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            currency TEXT NOT NULL,
            debit INTEGER NOT NULL CHECK (typeof(debit) = 'integer' AND debit >= 0),
            credit INTEGER NOT NULL CHECK (typeof(credit) = 'integer' AND credit >= 0),
            PRIMARY KEY (account_id, currency)
        ) WITHOUT ROWID;

        -- The same totals per day and district ('' for none): a trial balance as of a date
        -- or for one district sums these few rows instead of the postings.
        CREATE TABLE daily_balances (
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            currency TEXT NOT NULL,
            district TEXT NOT NULL,
            day TEXT NOT NULL,
            debit INTEGER NOT NULL CHECK (typeof(debit) = 'integer' AND debit >= 0),
            credit INTEGER NOT NULL CHECK (typeof(credit) = 'integer' AND credit >= 0),
            PRIMARY KEY (account_id, currency, district, day)
        ) WITHOUT ROWID;

        CREATE TABLE closed_periods (
            period TEXT PRIMARY KEY CHECK (length(period) = 7),
            closed_at INTEGER NOT NULL,
            closed_by TEXT NOT NULL CHECK (closed_by <> ''),
            -- the hash-chain head and last entry when the period was closed
            chain_head BLOB NOT NULL CHECK (length(chain_head) = 32),
            last_entry_id INTEGER NOT NULL
        );

        -- The ledger only grows: posted rows are never changed or removed.
        CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
            BEGIN SELECT RAISE(ABORT, 'entries are append-only: post a reversal instead'); END;
        CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
            BEGIN SELECT RAISE(ABORT, 'entries are append-only: post a reversal instead'); END;
        CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
            BEGIN SELECT RAISE(ABORT, 'postings are append-only: post a reversal instead'); END;
        CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
            BEGIN SELECT RAISE(ABORT, 'postings are append-only: post a reversal instead'); END;
        CREATE TRIGGER closed_periods_no_update BEFORE UPDATE ON closed_periods
            BEGIN SELECT RAISE(ABORT, 'a closed period stays closed'); END;
        CREATE TRIGGER closed_periods_no_delete BEFORE DELETE ON closed_periods
            BEGIN SELECT RAISE(ABORT, 'a closed period stays closed'); END;
        CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
            BEGIN SELECT RAISE(ABORT, 'accounts are never deleted: close them instead'); END;
        CREATE TRIGGER accounts_identity_fixed BEFORE UPDATE OF code, type, parent_id ON accounts
            BEGIN SELECT RAISE(ABORT, 'an account keeps its code, type and parent'); END;

        CREATE TRIGGER accounts_catalog_insert AFTER INSERT ON accounts
            BEGIN UPDATE ledger_meta SET catalog_version = catalog_version + 1; END;
        CREATE TRIGGER accounts_catalog_update AFTER UPDATE ON accounts
            BEGIN UPDATE ledger_meta SET catalog_version = catalog_version + 1; END;
        CREATE TRIGGER districts_catalog_insert AFTER INSERT ON districts
            BEGIN UPDATE ledger_meta SET catalog_version = catalog_version + 1; END;
        CREATE TRIGGER funding_catalog_insert AFTER INSERT ON funding_sources
            BEGIN UPDATE ledger_meta SET catalog_version = catalog_version + 1; END;
        """

    /// Budgets: the policy, lines per (year, district, code) whose amounts change only by
    /// recorded revisions, spending per line and month kept with the postings, and the
    /// commitments of approved claims.
    static let v2 = """
        -- The budget policy (Policies/budget.yaml): a rule per category, the accounts that
        -- carry no budget line, and every change of it on the record.
        CREATE TABLE budget_categories (
            code TEXT PRIMARY KEY CHECK (code <> ''),
            over_budget TEXT NOT NULL CHECK (over_budget IN ('block', 'warn')),
            warning_percent INTEGER NOT NULL CHECK (warning_percent BETWEEN 1 AND 100)
        );
        CREATE TABLE budget_unbudgeted_accounts (
            account_code TEXT PRIMARY KEY CHECK (account_code <> '')
        );
        CREATE TABLE budget_policy_changes (
            id INTEGER PRIMARY KEY,
            changed_at INTEGER NOT NULL,
            changed_by TEXT NOT NULL CHECK (changed_by <> ''),
            -- the policy as set, one rule per line, for the audit trail
            policy TEXT NOT NULL
        );

        CREATE TABLE budget_revisions (
            id INTEGER PRIMARY KEY,
            fiscal_year INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('original', 'addition', 'increase', 'decrease', 'reallocation')),
            reason TEXT NOT NULL CHECK (reason <> ''),
            approved_by TEXT NOT NULL CHECK (approved_by <> ''),
            approved_on TEXT NOT NULL CHECK (length(approved_on) = 10),
            recorded_at INTEGER NOT NULL
        );

        CREATE TABLE budget_lines (
            id INTEGER PRIMARY KEY,
            fiscal_year INTEGER NOT NULL,
            district TEXT NOT NULL REFERENCES districts(code),
            code TEXT NOT NULL CHECK (code <> ''),
            name_en TEXT NOT NULL CHECK (name_en <> ''),
            name_id TEXT NOT NULL CHECK (name_id <> ''),
            component TEXT NOT NULL CHECK (component <> ''),
            category TEXT NOT NULL REFERENCES budget_categories(code),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            UNIQUE (fiscal_year, district, code)
        );

        -- A line's amount after each revision that changed it; the latest is in force.
        CREATE TABLE budget_amounts (
            line_id INTEGER NOT NULL REFERENCES budget_lines(id),
            revision_id INTEGER NOT NULL REFERENCES budget_revisions(id),
            amount INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount >= 0),
            PRIMARY KEY (line_id, revision_id)
        ) WITHOUT ROWID;

        -- Expense postings carrying a district and a budget line, summed per line and month
        -- in the same transaction as the postings (whether or not the year has a budget yet).
        CREATE TABLE budget_actuals (
            fiscal_year INTEGER NOT NULL,
            district TEXT NOT NULL,
            budget_line TEXT NOT NULL,
            month TEXT NOT NULL CHECK (length(month) = 7),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            debit INTEGER NOT NULL CHECK (typeof(debit) = 'integer' AND debit >= 0),
            credit INTEGER NOT NULL CHECK (typeof(credit) = 'integer' AND credit >= 0),
            PRIMARY KEY (fiscal_year, district, budget_line, month, currency)
        ) WITHOUT ROWID;

        -- Budget held by approved claims until they are posted (or withdrawn).
        CREATE TABLE budget_commitments (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE CHECK (reference <> ''),
            line_id INTEGER NOT NULL REFERENCES budget_lines(id),
            amount INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),
            committed_at INTEGER NOT NULL,
            released_at INTEGER
        );

        CREATE TRIGGER budget_revisions_no_update BEFORE UPDATE ON budget_revisions
            BEGIN SELECT RAISE(ABORT, 'budget revisions are append-only'); END;
        CREATE TRIGGER budget_revisions_no_delete BEFORE DELETE ON budget_revisions
            BEGIN SELECT RAISE(ABORT, 'budget revisions are append-only'); END;
        CREATE TRIGGER budget_lines_no_update BEFORE UPDATE ON budget_lines
            BEGIN SELECT RAISE(ABORT, 'budget lines change only by revisions'); END;
        CREATE TRIGGER budget_lines_no_delete BEFORE DELETE ON budget_lines
            BEGIN SELECT RAISE(ABORT, 'budget lines change only by revisions'); END;
        CREATE TRIGGER budget_amounts_no_update BEFORE UPDATE ON budget_amounts
            BEGIN SELECT RAISE(ABORT, 'budget amounts change only by revisions'); END;
        CREATE TRIGGER budget_amounts_no_delete BEFORE DELETE ON budget_amounts
            BEGIN SELECT RAISE(ABORT, 'budget amounts change only by revisions'); END;
        CREATE TRIGGER budget_policy_changes_no_update BEFORE UPDATE ON budget_policy_changes
            BEGIN SELECT RAISE(ABORT, 'policy changes are append-only'); END;
        CREATE TRIGGER budget_policy_changes_no_delete BEFORE DELETE ON budget_policy_changes
            BEGIN SELECT RAISE(ABORT, 'policy changes are append-only'); END;
        CREATE TRIGGER budget_commitments_no_delete BEFORE DELETE ON budget_commitments
            BEGIN SELECT RAISE(ABORT, 'commitments are released, never deleted'); END;
        CREATE TRIGGER budget_commitments_release_only BEFORE UPDATE ON budget_commitments
            WHEN OLD.released_at IS NOT NULL OR NEW.released_at IS NULL OR NEW.reference IS NOT OLD.reference
              OR NEW.line_id IS NOT OLD.line_id OR NEW.amount IS NOT OLD.amount OR NEW.committed_at IS NOT OLD.committed_at
            BEGIN SELECT RAISE(ABORT, 'a commitment can only be released, once'); END;

        -- Lines, amounts and the policy are part of the catalogue writers cache.
        CREATE TRIGGER budget_amounts_catalog_insert AFTER INSERT ON budget_amounts
            BEGIN UPDATE ledger_meta SET catalog_version = catalog_version + 1; END;
        CREATE TRIGGER budget_policy_catalog_insert AFTER INSERT ON budget_policy_changes
            BEGIN UPDATE ledger_meta SET catalog_version = catalog_version + 1; END;
        """

    /// Fee claims: people, the claim policies, claims with their versions, lines and
    /// receipts, the entries they wrote, and their events in a hash chain of their own.
    static let v3 = """
        -- A claim returned after approval commits again when it is approved again: a
        -- reference is unique among open commitments only (v2 made it unique for ever).
        CREATE TABLE budget_commitments_v3 (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL CHECK (reference <> ''),
            line_id INTEGER NOT NULL REFERENCES budget_lines(id),
            amount INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),
            committed_at INTEGER NOT NULL,
            released_at INTEGER
        );
        INSERT INTO budget_commitments_v3 (id, reference, line_id, amount, committed_at, released_at)
            SELECT id, reference, line_id, amount, committed_at, released_at FROM budget_commitments;
        DROP TABLE budget_commitments;
        ALTER TABLE budget_commitments_v3 RENAME TO budget_commitments;
        CREATE UNIQUE INDEX budget_commitments_open ON budget_commitments(reference) WHERE released_at IS NULL;
        CREATE TRIGGER budget_commitments_no_delete BEFORE DELETE ON budget_commitments
            BEGIN SELECT RAISE(ABORT, 'commitments are released, never deleted'); END;
        CREATE TRIGGER budget_commitments_release_only BEFORE UPDATE ON budget_commitments
            WHEN OLD.released_at IS NOT NULL OR NEW.released_at IS NULL OR NEW.reference IS NOT OLD.reference
              OR NEW.line_id IS NOT OLD.line_id OR NEW.amount IS NOT OLD.amount OR NEW.committed_at IS NOT OLD.committed_at
            BEGIN SELECT RAISE(ABORT, 'a commitment can only be released, once'); END;

        CREATE TABLE people (
            id TEXT PRIMARY KEY CHECK (id <> ''),
            name TEXT NOT NULL CHECK (name <> ''),
            district TEXT REFERENCES districts(code),
            -- role names joined by ';', sorted
            roles TEXT NOT NULL,
            supervisor TEXT,
            bank_account TEXT,
            active_from TEXT NOT NULL CHECK (length(active_from) = 10),
            active_to TEXT CHECK (active_to IS NULL OR length(active_to) = 10),
            updated_at INTEGER NOT NULL
        );
        CREATE TRIGGER people_no_delete BEFORE DELETE ON people
            BEGIN SELECT RAISE(ABORT, 'people are never deleted: set active_to instead'); END;
        -- Every change to a person (a new person, new roles, leaving), with who made it:
        -- who held which role on the day of an approval stays provable.
        CREATE TABLE people_changes (
            id INTEGER PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            changed_at INTEGER NOT NULL,
            changed_by TEXT NOT NULL CHECK (changed_by <> ''),
            name TEXT NOT NULL,
            district TEXT,
            roles TEXT NOT NULL,
            supervisor TEXT,
            bank_account TEXT,
            active_from TEXT NOT NULL,
            active_to TEXT
        );
        CREATE INDEX people_changes_by_person ON people_changes(person_id);
        CREATE TRIGGER people_changes_no_update BEFORE UPDATE ON people_changes
            BEGIN SELECT RAISE(ABORT, 'people changes are append-only'); END;
        CREATE TRIGGER people_changes_no_delete BEFORE DELETE ON people_changes
            BEGIN SELECT RAISE(ABORT, 'people changes are append-only'); END;
        -- People and claim policies are part of the catalogue writers cache.
        CREATE TRIGGER people_catalog_insert AFTER INSERT ON people
            BEGIN UPDATE ledger_meta SET catalog_version = catalog_version + 1; END;
        CREATE TRIGGER people_catalog_update AFTER UPDATE ON people
            BEGIN UPDATE ledger_meta SET catalog_version = catalog_version + 1; END;

        -- The approval matrix and the rates, each change a new row (JSON); the newest is in force.
        CREATE TABLE claim_policies (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('approval-matrix', 'rates')),
            document TEXT NOT NULL,
            set_at INTEGER NOT NULL,
            set_by TEXT NOT NULL CHECK (set_by <> '')
        );
        CREATE TRIGGER claim_policies_no_update BEFORE UPDATE ON claim_policies
            BEGIN SELECT RAISE(ABORT, 'policy changes are append-only'); END;
        CREATE TRIGGER claim_policies_no_delete BEFORE DELETE ON claim_policies
            BEGIN SELECT RAISE(ABORT, 'policy changes are append-only'); END;
        CREATE TRIGGER claim_policies_catalog_insert AFTER INSERT ON claim_policies
            BEGIN UPDATE ledger_meta SET catalog_version = catalog_version + 1; END;

        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            district TEXT NOT NULL REFERENCES districts(code),
            fiscal_year INTEGER NOT NULL,
            sequence INTEGER NOT NULL CHECK (sequence > 0),
            claimant TEXT NOT NULL REFERENCES people(id),
            budget_line TEXT NOT NULL CHECK (budget_line <> ''),
            activity TEXT NOT NULL CHECK (activity <> ''),
            activity_from TEXT NOT NULL CHECK (length(activity_from) = 10),
            activity_to TEXT NOT NULL CHECK (length(activity_to) = 10),
            state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'on-hold', 'rejected',
                                                 'withdrawn', 'posted', 'paid', 'reversed')),
            version INTEGER NOT NULL CHECK (version >= 1),
            held_from TEXT,
            poster TEXT REFERENCES people(id),
            -- the claims-payable account the claim was posted to
            payable_account TEXT,
            created_at INTEGER NOT NULL,
            UNIQUE (district, fiscal_year, sequence)
        );
        CREATE INDEX claims_by_state ON claims(state);
        CREATE INDEX claims_by_claimant ON claims(claimant);

        -- Lines per version; a version is frozen once submitted.
        CREATE TABLE claim_lines (
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            version INTEGER NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 0),
            category TEXT NOT NULL CHECK (category IN ('honorarium', 'transport', 'per-diem', 'lodging')),
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            unit_rate INTEGER NOT NULL CHECK (typeof(unit_rate) = 'integer' AND unit_rate > 0),
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            memo TEXT,
            PRIMARY KEY (claim_id, version, position)
        ) WITHOUT ROWID;
        CREATE TRIGGER claim_lines_no_update BEFORE UPDATE ON claim_lines
            BEGIN SELECT RAISE(ABORT, 'claim lines are replaced, not edited'); END;
        -- A submitted (or approved) version is frozen: its lines and receipts stay as approvers saw them.
        CREATE TRIGGER claim_lines_frozen_insert BEFORE INSERT ON claim_lines
            WHEN EXISTS (SELECT 1 FROM claim_events WHERE claim_id = NEW.claim_id AND version = NEW.version AND action IN ('submit', 'approve'))
            BEGIN SELECT RAISE(ABORT, 'a submitted claim version is frozen'); END;
        CREATE TRIGGER claim_lines_frozen_delete BEFORE DELETE ON claim_lines
            WHEN EXISTS (SELECT 1 FROM claim_events WHERE claim_id = OLD.claim_id AND version = OLD.version AND action IN ('submit', 'approve'))
            BEGIN SELECT RAISE(ABORT, 'a submitted claim version is frozen'); END;

        -- Receipt files by SHA-256, stored once; backup and export carry them.
        CREATE TABLE receipts (
            sha256 BLOB PRIMARY KEY CHECK (length(sha256) = 32),
            media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
            size INTEGER NOT NULL CHECK (size > 0),
            content BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
            BEGIN SELECT RAISE(ABORT, 'receipts are never changed'); END;
        CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
            BEGIN SELECT RAISE(ABORT, 'receipts are never deleted'); END;
        CREATE TABLE claim_receipts (
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            version INTEGER NOT NULL,
            sha256 BLOB NOT NULL REFERENCES receipts(sha256),
            file_name TEXT NOT NULL,
            PRIMARY KEY (claim_id, version, sha256)
        ) WITHOUT ROWID;
        CREATE INDEX claim_receipts_by_file ON claim_receipts(sha256);
        CREATE TRIGGER claim_receipts_frozen_insert BEFORE INSERT ON claim_receipts
            WHEN EXISTS (SELECT 1 FROM claim_events WHERE claim_id = NEW.claim_id AND version = NEW.version AND action IN ('submit', 'approve'))
            BEGIN SELECT RAISE(ABORT, 'a submitted claim version is frozen'); END;
        CREATE TRIGGER claim_receipts_no_change BEFORE UPDATE ON claim_receipts
            BEGIN SELECT RAISE(ABORT, 'claim receipts are never changed'); END;
        CREATE TRIGGER claim_receipts_no_delete BEFORE DELETE ON claim_receipts
            BEGIN SELECT RAISE(ABORT, 'claim receipts are never removed'); END;

        -- The journal entries each claim wrote.
        CREATE TABLE claim_entries (
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            entry_id INTEGER NOT NULL REFERENCES entries(id),
            kind TEXT NOT NULL CHECK (kind IN ('posting', 'payment', 'reversal')),
            PRIMARY KEY (claim_id, entry_id)
        ) WITHOUT ROWID;
        CREATE TRIGGER claim_entries_no_update BEFORE UPDATE ON claim_entries
            BEGIN SELECT RAISE(ABORT, 'claim entries are append-only'); END;
        CREATE TRIGGER claim_entries_no_delete BEFORE DELETE ON claim_entries
            BEGIN SELECT RAISE(ABORT, 'claim entries are append-only'); END;

        -- Every transition, in one hash chain across all claims.
        CREATE TABLE claim_events (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            sequence INTEGER NOT NULL CHECK (sequence > 0),
            version INTEGER NOT NULL,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            at INTEGER NOT NULL,
            from_state TEXT,
            to_state TEXT NOT NULL,
            comment TEXT,
            version_hash BLOB NOT NULL CHECK (length(version_hash) = 32),
            hash BLOB NOT NULL CHECK (length(hash) = 32),
            UNIQUE (claim_id, sequence)
        );
        CREATE TRIGGER claim_events_no_update BEFORE UPDATE ON claim_events
            BEGIN SELECT RAISE(ABORT, 'claim events are append-only'); END;
        CREATE TRIGGER claim_events_no_delete BEFORE DELETE ON claim_events
            BEGIN SELECT RAISE(ABORT, 'claim events are append-only'); END;
        """

    /// Anti-fraud: the policy (each change kept), findings (one per rule, subject and
    /// related things, so scans add no duplicates) and their triage decisions.
    static let v4 = """
        CREATE TABLE fraud_policies (
            id INTEGER PRIMARY KEY,
            document TEXT NOT NULL,
            set_at INTEGER NOT NULL,
            set_by TEXT NOT NULL CHECK (set_by <> '')
        );
        CREATE TRIGGER fraud_policies_no_update BEFORE UPDATE ON fraud_policies
            BEGIN SELECT RAISE(ABORT, 'policy changes are append-only'); END;
        CREATE TRIGGER fraud_policies_no_delete BEFORE DELETE ON fraud_policies
            BEGIN SELECT RAISE(ABORT, 'policy changes are append-only'); END;

        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            rule TEXT NOT NULL CHECK (length(rule) = 3),
            action TEXT NOT NULL CHECK (action IN ('report', 'flag', 'hold', 'block')),
            subject TEXT NOT NULL,
            subject_person TEXT,
            -- the other claims, receipts or people involved, joined by ','
            related TEXT NOT NULL,
            evidence TEXT NOT NULL,
            found_at INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'escalated'))
        );
        CREATE INDEX findings_by_status ON findings(status);
        CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
            BEGIN SELECT RAISE(ABORT, 'findings are triaged, never deleted'); END;
        CREATE TRIGGER findings_status_only BEFORE UPDATE ON findings
            WHEN NEW.key IS NOT OLD.key OR NEW.rule IS NOT OLD.rule OR NEW.action IS NOT OLD.action
              OR NEW.subject IS NOT OLD.subject OR NEW.related IS NOT OLD.related OR NEW.evidence IS NOT OLD.evidence
              OR NEW.found_at IS NOT OLD.found_at OR OLD.status <> 'open'
            BEGIN SELECT RAISE(ABORT, 'a finding changes only by its triage, once'); END;

        -- Approvers who approved a claim with open flag findings, having read them.
        CREATE TABLE finding_acknowledgements (
            finding_id INTEGER NOT NULL REFERENCES findings(id),
            actor TEXT NOT NULL CHECK (actor <> ''),
            at INTEGER NOT NULL,
            PRIMARY KEY (finding_id, actor, at)
        ) WITHOUT ROWID;
        CREATE TRIGGER finding_acknowledgements_no_update BEFORE UPDATE ON finding_acknowledgements
            BEGIN SELECT RAISE(ABORT, 'acknowledgements are append-only'); END;
        CREATE TRIGGER finding_acknowledgements_no_delete BEFORE DELETE ON finding_acknowledgements
            BEGIN SELECT RAISE(ABORT, 'acknowledgements are append-only'); END;

        CREATE TABLE finding_decisions (
            id INTEGER PRIMARY KEY,
            finding_id INTEGER NOT NULL REFERENCES findings(id),
            decision TEXT NOT NULL CHECK (decision IN ('dismissed', 'escalated')),
            actor TEXT NOT NULL CHECK (actor <> ''),
            reason TEXT NOT NULL CHECK (reason <> ''),
            at INTEGER NOT NULL
        );
        CREATE TRIGGER finding_decisions_no_update BEFORE UPDATE ON finding_decisions
            BEGIN SELECT RAISE(ABORT, 'finding decisions are append-only'); END;
        CREATE TRIGGER finding_decisions_no_delete BEFORE DELETE ON finding_decisions
            BEGIN SELECT RAISE(ABORT, 'finding decisions are append-only'); END;
        """

    /// The vendor and number printed on a receipt, for R03 (the same receipt claimed twice
    /// under another photo; rows attached before v5 have none), and the manual entries R01
    /// reads.
    static let v5 = """
        ALTER TABLE claim_receipts ADD COLUMN vendor TEXT;
        ALTER TABLE claim_receipts ADD COLUMN vendor_number TEXT;
        -- the vendor and number as R03 compares them (VendorReceipt.key); all three or none
        ALTER TABLE claim_receipts ADD COLUMN vendor_key TEXT
            CHECK ((vendor IS NULL) = (vendor_key IS NULL) AND (vendor_number IS NULL) = (vendor_key IS NULL));
        CREATE INDEX claim_receipts_by_vendor_key ON claim_receipts(vendor_key) WHERE vendor_key IS NOT NULL;
        -- R01 reads a year's manual entries (few) among the imported and claim ones (many).
        CREATE INDEX entries_manual_by_year ON entries(fiscal_year) WHERE source = 'manual';
        """

    /// Logins for the admin server: a user is a person on the people list with a password
    /// (bcrypt, hashed above this module), sessions and API tokens stored as SHA-256 of the
    /// secret (the secret itself is never stored), failed logins for throttling, and every
    /// change to a user with its actor. Also two indexes for the checks at submission, which
    /// the server runs for every claim submitted.
    static let v6 = """
        -- A submission's anti-fraud checks read the claimant's and the activity's claims
        -- around its dates (FraudFacts.neighbours), not every claim on record.
        CREATE INDEX claims_by_claimant_dates ON claims(claimant, activity_to);
        CREATE INDEX claims_by_activity_dates ON claims(lower(activity), activity_to);

        CREATE TABLE users (
            person TEXT PRIMARY KEY REFERENCES people(id),
            password_hash TEXT NOT NULL CHECK (password_hash <> ''),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL CHECK (created_by <> ''),
            disabled_at INTEGER
        ) WITHOUT ROWID;
        CREATE TRIGGER users_no_delete BEFORE DELETE ON users
            BEGIN SELECT RAISE(ABORT, 'users are disabled, never deleted'); END;

        CREATE TABLE sessions (
            token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
            person TEXT NOT NULL REFERENCES users(person),
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL CHECK (last_seen_at >= created_at),
            ended_at INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX sessions_by_person ON sessions(person);

        CREATE TABLE api_tokens (
            token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
            person TEXT NOT NULL REFERENCES users(person),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL CHECK (created_by <> ''),
            revoked_at INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX api_tokens_by_person ON api_tokens(person);

        -- failed logins by the name typed (known or not), for throttling
        CREATE TABLE login_failures (
            login TEXT NOT NULL,
            at INTEGER NOT NULL
        );
        CREATE INDEX login_failures_by_login ON login_failures(login, at);

        CREATE TABLE user_events (
            id INTEGER PRIMARY KEY,
            person TEXT NOT NULL REFERENCES users(person),
            action TEXT NOT NULL CHECK (action IN ('add', 'disable', 'enable', 'token', 'password')),
            actor TEXT NOT NULL CHECK (actor <> ''),
            at INTEGER NOT NULL
        );
        CREATE TRIGGER user_events_no_update BEFORE UPDATE ON user_events
            BEGIN SELECT RAISE(ABORT, 'user events are append-only'); END;
        CREATE TRIGGER user_events_no_delete BEFORE DELETE ON user_events
            BEGIN SELECT RAISE(ABORT, 'user events are append-only'); END;

        -- Set once by `neraca serve --demo` on the database it builds: only such a database
        -- gets the demo's logins (with passwords printed) on later starts.
        CREATE TABLE ledger_flags (
            name TEXT PRIMARY KEY CHECK (name IN ('demo')),
            set_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// The pages (issue 8): the language each user chose, so that it follows them from one
    /// browser to the next (NULL: the browser's); a claim's page lists its findings.
    static let v7 = """
        ALTER TABLE users ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('en', 'id'));
        CREATE INDEX findings_by_subject ON findings(subject);
        """

    /// The key of the form that created a claim (printable ASCII), so that a form sent twice
    /// creates it once.
    static let v8 = """
        ALTER TABLE claims ADD COLUMN request_key TEXT CHECK (request_key IS NULL OR length(request_key) BETWEEN 1 AND 128);
        CREATE UNIQUE INDEX claims_by_request_key ON claims(claimant, request_key) WHERE request_key IS NOT NULL;
        """
}
