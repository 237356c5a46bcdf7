import DiscordModels
import FileSafety
import Foundation

/// DCE's file names (§15.2): the default `{guild} - {parent} - {channel} [{id}]`, `--output` template tokens,
/// sanitizing, `[part k]` names and relative media paths.
enum OutputPath {
    /// Replaces the characters DCE replaces in file names with `_`.
    static func sanitize(_ name: String) -> String {
        String(name.map { "\0/\\:*?\"<>|".contains($0) ? "_" : $0 })
    }

    static func dateText(_ id: UInt64?, timeZone: DCETimeZone) -> String {
        guard let id else { return "" }
        let time = DCETime(snowflake: id)
        let f = time.fields(offset: timeZone.offset(at: time))
        return String(format: "%04d-%02d-%02d", f.year, f.month, f.day)
    }

    /// `{guild} - {parent} - {channel} [{id}] (dates).ext`, its names shortened (the `[id]`, dates and extension
    /// kept whole) so it fits the file system's 255 bytes: 60 CJK characters are enough to exceed them.
    static func defaultName(for info: ChannelInfo, options: DCEExportOptions) -> String {
        var head = info.guildName
        if let parent = info.parentName { head += " - " + parent }
        head += " - \(info.channelName)"
        var name = " [\(info.id)]"
        let after = options.after.map { dateText($0, timeZone: options.timeZone) }
        let before = options.before.map { dateText($0, timeZone: options.timeZone) }
        switch (after, before) {
        case (let a?, let b?): name += " (\(a) to \(b))"
        case (let a?, nil): name += " (after \(a))"
        case (nil, let b?): name += " (before \(b))"
        case (nil, nil): break
        }
        // Room for " [part k]" and for the temporary file's ".….XXXXXXXX.tmp".
        let limit = FileName.maxBytes - 16 - 14
        return FileName.fitting(
            head: sanitize(head), tail: sanitize(name + "." + options.format.fileExtension), limit: limit)
    }

    /// The output path of a channel under `directory`, from the template if one is given.
    static func path(for info: ChannelInfo, directory: String, options: DCEExportOptions) -> String {
        guard let template = options.outputTemplate else {
            return (directory as NSString).appendingPathComponent(defaultName(for: info, options: options))
        }
        var result = ""
        var characters = Array(template)[...]
        while let c = characters.popFirst() {
            guard c == "%", let token = characters.first else {
                result.append(c)
                continue
            }
            let value: String? =
                switch token {
                case "g": info.guildId.map(String.init) ?? "0"
                case "G": info.guildName
                case "t": info.parentId ?? ""
                case "T": info.parentName ?? ""
                case "c": String(info.id)
                case "C": info.channelName
                case "p": String(info.position)
                case "P": String(info.parentPosition)
                case "a": dateText(options.after, timeZone: options.timeZone)
                case "b": dateText(options.before, timeZone: options.timeZone)
                case "d": dateText(DCETimeSnowflake.now(options.now().date), timeZone: options.timeZone)
                case "%": "%"
                default: nil
                }
            if let value {
                result += token == "%" ? "%" : sanitize(value)
                characters.removeFirst()
            } else {
                result.append(c)
            }
        }
        // Each name of the path shortened to fit the file system (255 bytes), keeping its `[id]` and extension.
        result = result.split(separator: "/", omittingEmptySubsequences: false)
            .map { FileName.fitting(String($0), limit: FileName.maxBytes - 16 - 14) }.joined(separator: "/")
        var path = template.hasPrefix("/") ? result : (directory as NSString).appendingPathComponent(result)
        var isDirectory: ObjCBool = false
        if (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
            || (path as NSString).pathExtension.isEmpty
        {
            path = (path as NSString).appendingPathComponent(defaultName(for: info, options: options))
        }
        return path
    }

    /// `chan [1].json` → `chan [1] [part k].json`.
    static func part(_ path: String, _ k: Int) -> String {
        let ext = (path as NSString).pathExtension
        let stem = (path as NSString).deletingPathExtension
        return ext.isEmpty ? "\(stem) [part \(k)]" : "\(stem) [part \(k)].\(ext)"
    }

    /// `target` relative to `directory` (with `../` where needed), so a link written in a file of `directory`
    /// resolves wherever the two are moved together. Relative inputs are taken from the current folder.
    static func relative(_ target: String, from directory: String) -> String {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents.filter { $0 != "/" }
        let full = URL(fileURLWithPath: target).standardizedFileURL.pathComponents.filter { $0 != "/" }
        var common = 0
        while common < base.count, common < full.count, base[common] == full[common] { common += 1 }
        let parts = Array(repeating: "..", count: base.count - common) + full[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}

/// Snowflakes for wall-clock instants.
enum DCETimeSnowflake {
    static func now(_ date: Date) -> UInt64 {
        Snowflake<AnyTag>(date: date).rawValue
    }
}
