import Testing

@testable import ApexCompiler

/// Keeps the test target buildable until the compiler has real tests.
@Suite struct CompilerPlaceholderTests {
    @Test func moduleLinks() {
        #expect(CompilerPlaceholder.self == CompilerPlaceholder.self)
    }
}
