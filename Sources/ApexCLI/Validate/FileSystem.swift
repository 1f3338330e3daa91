import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system calls `apex validate` makes, on POSIX directly so that failures carry
/// `errno` and read as `permission denied` rather than Foundation's generic wording.
enum FileSystem {
    /// What a path names.
    enum Kind: Equatable {
        case folder
        case file
        case symbolicLink
        case other
    }

    /// What `path` names, following symbolic links when `followingLinks`.
    static func kind(of path: String, followingLinks: Bool = true) -> Result<Kind, InputProblem> {
        var info = stat()
        let status = followingLinks ? stat(path, &info) : lstat(path, &info)
        guard status == 0 else { return .failure(problem(errno, path: path, doing: "access it")) }
        let kind: Kind = switch info.st_mode & S_IFMT {
        case S_IFDIR: .folder
        case S_IFREG: .file
        case S_IFLNK: .symbolicLink
        default: .other
        }
        return .success(kind)
    }

    /// The names in folder `path`, without `.` and `..`, in no particular order.
    static func names(in path: String) -> Result<[String], InputProblem> {
        guard let folder = opendir(path) else { return .failure(problem(errno, path: path, doing: "list the folder")) }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }

    /// The bytes of file `path`. Reading stops past `limit` bytes for what is not a regular
    /// file (a FIFO, `/dev/zero`), which could otherwise never end.
    static func contents(of path: String, limit: Int) -> Result<Data, InputProblem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(problem(errno, path: path, doing: "read the file")) }
        defer { close(descriptor) }
        return contents(ofDescriptor: descriptor, path: path, limit: limit)
    }

    /// The bytes left to read from the open `descriptor` (standard input, for one), named
    /// `path` in problems, which say they could not `action`; like ``contents(of:limit:)``,
    /// reading stops past `limit` bytes for what is not a regular file. The descriptor is left open.
    static func contents(ofDescriptor descriptor: Int32, path: String, limit: Int,
                         doing action: String = "read the file") -> Result<Data, InputProblem> {
        var info = stat()
        let isRegular = fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while isRegular || data.count <= limit {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(problem(errno, path: path, doing: action))
            }
            data.append(contentsOf: buffer[..<count])
        }
        return .success(data)
    }

    /// A problem worded from `errorNumber`: `no such file or folder`, `cannot read the file: permission denied`.
    static func problem(_ errorNumber: Int32, path: String, doing action: String) -> InputProblem {
        switch errorNumber {
        case ENOENT, ENOTDIR: return InputProblem(path: path, message: "no such file or folder")
        case EACCES, EPERM: return InputProblem(path: path, message: "cannot \(action): permission denied")
        default:
            let reason = String(cString: strerror(errorNumber)).lowercased()
            return InputProblem(path: path, message: "cannot \(action): \(reason)")
        }
    }
}
