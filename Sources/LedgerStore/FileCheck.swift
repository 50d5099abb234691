#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system questions the store must ask without pulling Foundation into hot paths.
enum FileCheck {
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
