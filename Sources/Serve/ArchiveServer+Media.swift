import Foundation
import Hummingbird

extension ArchiveServer {
    /// `GET /media/PATH`: a downloaded attachment, or an asset `skald import --media` copied, from the archive's
    /// media folder (see ``MediaFolder``), sandboxed.
    func addMediaRoutes(to router: Router<BasicRequestContext>) {
        router.get("media/**") { _, context in
            let relative = context.parameters.getCatchAll().joined(separator: "/")
            guard let folder = configuration.mediaFolder, let file = folder.file(relative),
                let bytes = FileManager.default.contents(atPath: file.path)
            else { return ServeResponses.text("no such media file in the archive", status: .notFound) }
            return Response(
                status: .ok,
                headers: [
                    .contentType: MediaFolder.contentType(of: file.lastPathComponent),
                    .cacheControl: MediaFolder.cacheControl(of: relative),
                    .contentSecurityPolicy: "default-src 'none'; sandbox",
                    .init("X-Content-Type-Options")!: "nosniff",
                ],
                body: ResponseBody(byteBuffer: .init(bytes: bytes)))
        }
    }
}
