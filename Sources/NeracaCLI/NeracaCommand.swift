import ArgumentParser

/// `neraca`: the finance back office's command line.
///
/// Exit codes: 0 success, 1 input refused (one line on stderr naming the field, the value
/// and the reason), 2 usage errors (unknown flag, missing argument).
public struct NeracaCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "neraca",
        abstract: "Double-entry ledger, budgets and fee claims for grant-funded programs.",
        discussion: """
            The database is --db PATH, else $NERACA_DB, else ./neraca.sqlite.
            Exit status: 0 success, 1 input refused, 2 usage error.
            """,
        subcommands: [
            InitCommand.self, PostCommand.self, ImportCommand.self, BalanceCommand.self, RegisterCommand.self,
            ShowCommand.self, ReverseCommand.self, CloseCommand.self, ExportCommand.self, VerifyCommand.self, BackupCommand.self,
            BudgetCommand.self, PeopleCommand.self, ClaimCommand.self, FraudCommand.self, UsersCommand.self, ServeCommand.self,
        ])

    public init() {}

    /// Parses `arguments`, runs the command and returns the process exit code, writing
    /// output and error messages as it goes. `neraca`'s `main` is just this.
    public static func run(arguments: [String]) -> Int32 {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Output.line(fullMessage(for: error))
                return 0
            }
            Output.error(fullMessage(for: error))
            return 2
        }
        do {
            var runnable = command
            try runnable.run()
            return 0
        } catch {
            return report(error)
        }
    }

    /// `run(arguments:)` for the executable: the same, and commands that run async (`serve`)
    /// are awaited.
    public static func main(arguments: [String]) async -> Int32 {
        guard let parsed = (try? parseAsRoot(arguments)) as? any AsyncParsableCommand else {
            return run(arguments: arguments)
        }
        do {
            var runnable = parsed
            try await runnable.run()
            return 0
        } catch {
            return report(error)
        }
    }

    /// Prints what went wrong and returns the exit code.
    private static func report(_ error: any Error) -> Int32 {
        if let failure = error as? CommandFailure {
            if let line = failure.line { Output.error(line) }
            return failure.exitCode
        }
        if let presented = CommandFailure(presenting: error) {
            if let line = presented.line { Output.error(line) }
            return presented.exitCode
        }
        let code = exitCode(for: error)
        if code == .success { return 0 }
        Output.error(fullMessage(for: error))
        return 2
    }
}
