import ApexCLI

/// The `apex` executable: everything lives in ApexCLI so that tests can run commands in-process.
@main
enum ApexMain {
    static func main() async {
        await ApexCommand.main()
    }
}
