// Placeholder so that the test target declared in Package.swift exists; replaced by real tests.
import ApexCLI
