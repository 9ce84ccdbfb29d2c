import APIModels
import ArgumentParser
import Foundation

/// `sluice projects list|add|add-member|remove-member`.
struct ProjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects", abstract: "List and manage projects (the tenancy boundary).",
        subcommands: [List.self, Add.self, AddMember.self, RemoveMember.self, Pause.self, Resume.self, Cancel.self, Limits.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the projects you can see.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let projects = try await APIClient(global: global).get([Project].self, "/projects")
                if json { return try HTTPJSON.print(projects) }
                print(Table.render(projects.map { [$0.id, $0.name, $0.description ?? ""] },
                                   header: ["PROJECT", "NAME", "DESCRIPTION"]))
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a project (admins).")
        @Argument(help: "The id: lower-case letters, digits and '-'.") var id: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "What it is for.") var description: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let project = try await APIClient(global: global).send(Project.self, "POST", "/projects",
                                                                       body: NewProject(id: id, name: name, description: description))
                writeLine("project \(project.id) created")
            }
        }
    }

    struct AddMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-member", abstract: "Add a user to a project (admins).")
        @Argument(help: "The project.") var project: String
        @Argument(help: "The user.") var user: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                _ = try await APIClient(global: global).send(UserAccount.self, "PUT",
                    "/projects/\(APIClient.escape(project))/members/\(APIClient.escape(user))", body: [String: String]())
                writeLine("\(user) is in \(project)")
            }
        }
    }

    struct RemoveMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-member", abstract: "Remove a user from a project (admins).")
        @Argument(help: "The project.") var project: String
        @Argument(help: "The user.") var user: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                try await APIClient(global: global).call("DELETE",
                    "/projects/\(APIClient.escape(project))/members/\(APIClient.escape(user))")
                writeLine("\(user) left \(project)")
            }
        }
    }
}
