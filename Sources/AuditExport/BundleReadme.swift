/// `README.txt` of every bundle, in English and Bahasa Indonesia.
enum BundleReadme {
    static let text = """
        NERACA AUDIT BUNDLE
        ===================

        One fiscal year of the ledger, written by `neraca export`. Check it with
        `neraca verify DIR` (offline: no database needed). manifest.json lists every file
        with its SHA-256, size and rows, the control totals per currency and the hash-chain
        heads at the start and end of the year. Amounts are plain decimals with a point
        (1250000.00), in the currency named on the row; dates are YYYY-MM-DD; times are UTC.

        journal.csv, journal.jsonl
          One row per posting, the same rows in both files, in entry then line order:
          entry (JE-YYYY-NNNNNN), line (0-based), date, posted_at_ms (milliseconds since
          1970-01-01 UTC), description, reference, source (manual, claim, import, reversal,
          closing), author, idempotency_key, exchange_rate, reverses (the entry reversed),
          account, account_name, debit, credit, currency, district, budget_line, activity,
          funding_source, party, memo, entry_hash. entry_hash is SHA-256 of the previous
          entry's hash and the entry's canonical bytes (docs/canonical-bytes.md): every
          entry's hash can be recomputed from these columns.
        chain-links.csv
          Entries of other years posted between this year's (after, entry,
          canonical_bytes in hex, entry_hash): the chain passes through them, and their
          hashes are recomputed from their canonical bytes. Usually empty.
        accounts.csv
          The chart of accounts: code, name_en, name_id, type, parent, currency, opens_on,
          closes_on, general_ledger_file (the account's file in general-ledger/).
        trial-balance.csv
          Per account and currency: opening debit/credit (before the year), the year's
          debits and credits, closing debit/credit.
        general-ledger/ACCOUNT.csv
          Each account's postings with a running balance per currency, from the opening
          balance: entry, line, date, description, reference, currency, debit, credit,
          balance.
        budget-vs-actual.csv
          Per district and budget line: original and revised budget, actual, committed
          (approved claims not yet posted), available.
        claims.csv, claim-events.csv, receipts/
          The year's fee claims (current version, state, approvers, receipt SHA-256s) and
          every transition with actor, time (UTC), states, comment and the hash of the
          version decided on. receipts/ holds each receipt file named by its SHA-256.
        findings.csv
          Every anti-fraud finding on record (triage spans years) with rule, action,
          subject, evidence, status, the decisions taken on them (who, when, why) and the
          approvers who acknowledged them.
        ledger.journal
          The year in hledger/ledger syntax with the opening balances as its first
          transaction; accounts are named by code. `hledger -f ledger.journal bal` gives the
          closing balances of trial-balance.csv.
        fec.txt
          The 18 columns of the French FEC layout (JournalCode ... Idevise), tab-separated,
          dates YYYYMMDD, decimal comma, EcritureNum continuous from 1 (entry 1, journal
          AN, holds the opening balances). Debit and Credit are in the posting's currency;
          Montantdevise and Idevise are filled for postings not in the base currency.

        A spreadsheet may treat text starting with =, +, - or @ as a formula: open the CSV
        and FEC files as text.

        BUNDEL AUDIT NERACA
        ===================

        Satu tahun buku dari buku besar, ditulis oleh `neraca export`. Periksa dengan
        `neraca verify DIR` (luring, tanpa basis data). manifest.json mencantumkan setiap
        berkas beserta SHA-256, ukuran dan jumlah barisnya, total kendali per mata uang, dan
        kepala rantai hash di awal dan akhir tahun. Jumlah uang ditulis desimal dengan titik
        (1250000.00) dalam mata uang baris itu; tanggal YYYY-MM-DD; waktu dalam UTC.

        journal.csv, journal.jsonl
          Satu baris per posting, baris yang sama di kedua berkas, urut jurnal lalu baris:
          nomor jurnal, baris, tanggal, waktu posting (milidetik UTC), uraian, referensi,
          sumber, pembuat, kunci idempoten, kurs, jurnal yang dibalik, akun, nama akun,
          debit, kredit, mata uang, distrik, mata anggaran, kegiatan, sumber dana, pihak,
          memo, hash jurnal. Hash setiap jurnal dapat dihitung ulang dari kolom-kolom ini.
        chain-links.csv
          Jurnal tahun lain yang diposting di antara jurnal tahun ini (rantai melewatinya).
        accounts.csv
          Bagan akun: kode, nama (en/id), jenis, induk, mata uang, tanggal buka dan tutup.
        trial-balance.csv
          Per akun dan mata uang: saldo awal, mutasi debit dan kredit tahun ini, saldo akhir.
        general-ledger/AKUN.csv
          Posting setiap akun dengan saldo berjalan per mata uang, mulai dari saldo awal.
        budget-vs-actual.csv
          Per distrik dan mata anggaran: anggaran awal dan revisi, realisasi, komitmen
          (klaim disetujui yang belum diposting), sisa.
        claims.csv, claim-events.csv, receipts/
          Klaim honor tahun ini dan setiap perubahan statusnya (siapa, kapan, komentar, hash
          versi). receipts/ berisi setiap berkas kuitansi, dinamai dengan SHA-256-nya.
        findings.csv
          Temuan anti-fraud beserta aturan, tindakan, subjek, bukti, status, keputusan atas
          temuan (siapa, kapan, alasan) dan penyetuju yang telah membacanya.
        ledger.journal
          Tahun ini dalam sintaks hledger/ledger, saldo awal sebagai transaksi pertama.
          `hledger -f ledger.journal bal` memberi saldo akhir trial-balance.csv.
        fec.txt
          18 kolom format FEC Prancis, dipisah tab, tanggal YYYYMMDD, koma desimal,
          EcritureNum berurutan dari 1 (jurnal 1, kode AN, berisi saldo awal).

        Lembar kerja dapat membaca teks yang diawali =, +, - atau @ sebagai rumus: buka
        berkas CSV dan FEC sebagai teks.

        """
}
