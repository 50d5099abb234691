import NeracaCLI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(NeracaCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
