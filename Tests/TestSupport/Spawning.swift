#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// glibc's spawn extensions (`_GNU_SOURCE`), which the `Glibc` module leaves out, looked up once by name.
enum Spawning {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static func symbol<F>(_ name: String, as type: F.Type) -> F {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("\(name) is missing: glibc 2.34 or later is needed to spawn children for the tests")
        }
        return unsafeBitCast(address, to: type)
    }

    /// `pipe2(2)`: both ends opened with `flags` (here close-on-exec) in one step.
    static let pipe2 = symbol("pipe2", as: Pipe2.self)
    /// `posix_spawn_file_actions_addclosefrom_np`: closes every descriptor from the given one up in the child.
    static let addCloseFrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self)
    /// `posix_spawn_file_actions_addchdir_np`: the child's working folder.
    static let addChangeDirectory = symbol("posix_spawn_file_actions_addchdir_np", as: ChangeDirectory.self)
}
