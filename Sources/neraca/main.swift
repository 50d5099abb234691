import NeracaCLI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(await NeracaCommand.main(arguments: Array(CommandLine.arguments.dropFirst())))
