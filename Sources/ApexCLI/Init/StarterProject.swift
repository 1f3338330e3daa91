/// The files `apex init` writes (docs/cli.md, "`apex init`"): a workflow and its tests, the
/// editor schema, `.env.example`, a GitHub Actions job and `.gitignore`.
///
/// The workflow's name also names its two files (`workflows/NAME.yaml`,
/// `workflows/NAME.test.yaml`): it matches `^[a-z][a-z0-9_-]{0,62}$`, so it is a safe file name,
/// and a project's files then read as the workflows they hold.
struct StarterProject {
    /// A file to write: its path in the project folder, and its text.
    struct File: Equatable {
        var path: String
        var text: String
    }

    /// The workflow's name (`name:`), and the stem of its files.
    var name: String

    /// The workflow file's path in the project folder.
    var workflowPath: String { "workflows/\(name).yaml" }

    /// Every file, in the order they are written and listed.
    var files: [File] {
        [
            File(path: workflowPath, text: workflow),
            File(path: "workflows/\(name).test.yaml", text: tests),
            File(path: "schemas/apex-workflow-v1.schema.json", text: SchemaCommand.document),
            File(path: ".env.example", text: Self.environmentExample),
            File(path: ".github/workflows/apex.yml", text: Self.githubActions),
            File(path: ".gitignore", text: Self.gitignore),
        ]
    }

    /// One llm step with a retry policy; valid with `apex validate --strict`. The `$schema`
    /// comment points the YAML language server at `schemas/`, relative to the file.
    private var workflow: String {
        """
        # yaml-language-server: $schema=../schemas/apex-workflow-v1.schema.json
        #
        # Greets a person with one llm step. Try it offline, on the mock provider:
        #   apex run \(workflowPath) -i name=Ada --mock-llm
        # With a real model, put OPENAI_API_KEY in .env (see .env.example) and leave out --mock-llm.

        apex: 1
        name: \(name)

        input:
          type: object
          required: [name]
          properties:
            name: { type: string, minLength: 1 }

        llm: { provider: openai, model: gpt-4o-mini }

        steps:
          - id: greet
            llm:
              prompt: "Write a one-line greeting for ${{ input.name }}."
            retry: { max_attempts: 3, initial_interval: 2s }

        output: ${{ steps.greet.output.text }}

        """
    }

    /// The workflow's tests, in the format `apex test` reads (docs/testing.md).
    private var tests: String {
        """
        # Tests for \(name).yaml, run by `apex test` with no model and no real clock (docs/testing.md).
        workflow: \(name).yaml
        cases:
          - name: greets a person by name
            input: { name: Ada }
            llm:
              greet: "Hello, Ada!"
            expect:
              status: completed
              output: "Hello, Ada!"
          - name: a rate-limited call is retried
            input: { name: Grace }
            llm:
              greet:
                - { error: llm.rate_limited }
                - "Hi, Grace!"
            expect:
              output: "Hi, Grace!"
              attempts: { greet: 2 }

        """
    }

    /// The variables of docs/language.md, "LLM providers", and `APEX_HOME` for a store kept in
    /// the project (which `.gitignore` then ignores).
    private static let environmentExample = """
        # Copy this file to .env and fill in what you use. apex reads .env in the folder it runs in;
        # a variable set in the environment wins over it ("Configuration" in Apex's docs/cli.md).
        # .gitignore keeps .env out of git: never commit keys.

        # The OpenAI API key, for llm steps with provider: openai (the starter workflow uses it).
        OPENAI_API_KEY=

        # An OpenAI-compatible server instead of OpenAI's API: Ollama, vLLM, LM Studio. The key is
        # then optional.
        # OPENAI_BASE_URL=http://localhost:11434/v1

        # The Anthropic API key, for llm steps with provider: anthropic.
        ANTHROPIC_API_KEY=

        # Where apex keeps its store of runs (default: ~/.apex). Uncomment to keep this project's
        # runs in the project, in .apex/ (which .gitignore ignores).
        # APEX_HOME=.apex

        """

    /// A job that builds apex from source (there is no published binary), then checks and tests
    /// the workflows. The build is cached per commit of Apex; the clone goes in the workspace,
    /// since `runner.temp` names the host's folder, not the container's.
    private static let githubActions = """
        # Checks and tests the workflows in workflows/ on every push and pull request.
        #
        # Apex has no published binary: this job builds it from source. Set the repository variable
        # APEX_GIT_URL to the git URL of the Apex repository (Settings > Secrets and variables >
        # Actions > Variables). The build is cached for each commit of Apex.
        name: apex

        on:
          push:
          pull_request:

        jobs:
          workflows:
            runs-on: ubuntu-latest
            container: swift:6.2          # Swift 6.2 or newer
            steps:
              - uses: actions/checkout@v4
              - name: Check that APEX_GIT_URL is set
                if: vars.APEX_GIT_URL == ''
                run: |
                  echo "::error::Set the repository variable APEX_GIT_URL to the git URL of the Apex repository"
                  exit 1
              - name: Fetch apex
                id: apex
                run: |
                  git clone --depth 1 "${{ vars.APEX_GIT_URL }}" .apex-src
                  echo "commit=$(git -C .apex-src rev-parse HEAD)" >> "$GITHUB_OUTPUT"
              - name: Cache the build of apex
                uses: actions/cache@v4
                with:
                  path: .apex-src/.build
                  key: apex-${{ runner.os }}-${{ steps.apex.outputs.commit }}
              - name: Build apex
                run: |
                  apt-get update && apt-get install -y libsqlite3-dev    # the embedded store's SQLite
                  swift build -c release --product apex --package-path .apex-src
                  echo "$PWD/.apex-src/.build/release" >> "$GITHUB_PATH"
              - name: Check the workflows
                run: apex validate --strict --format github workflows/
              - name: Test the workflows
                run: apex test workflows/

        """

    /// The store folder when `APEX_HOME=.apex` (see `.env.example`), and the keys.
    private static let gitignore = """
        # apex's store of runs, when .env sets APEX_HOME=.apex
        .apex/
        # Keys (copy .env.example to .env)
        .env

        """
}
