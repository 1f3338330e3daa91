import ApexEngine
import Foundation
import GRDB

extension StoreError {
    /// Why the database at `path` cannot be used, in words a user can act on.
    static func unusable(path: String, busyTimeout: TimeInterval, _ error: any Error) -> StoreError {
        guard let error = error as? DatabaseError else { return .unusable("\(path): \(error)") }
        let detail = error.message ?? "\(error.resultCode)"
        return switch error.resultCode {
        case .SQLITE_NOTADB: .unusable("\(path) is not an SQLite database")
        case .SQLITE_CORRUPT: .unusable("\(path) is corrupt (\(detail))")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            .unusable("\(path) stayed locked by another process for more than \(String(format: "%g", busyTimeout)) s")
        case .SQLITE_CANTOPEN: .unusable("cannot open \(path) (\(detail))")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: .unusable("\(path) cannot be written (\(detail))")
        case .SQLITE_FULL: .unusable("the disk holding \(path) is full")
        default: .unusable("\(path): \(detail)")
        }
    }
}
