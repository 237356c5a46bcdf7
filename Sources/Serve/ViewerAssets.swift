import Export

/// The viewer's static assets, embedded in the binary: the style sheet (the exporter's message style plus the
/// page frame) and the one script, `/assets/viewer.js`, which loads older and newer messages as the reader
/// scrolls (from `/skald/api/channels/{id}/page`), keeps at most a few hundred in the page, and brings a jumped-to
/// message into view. Pages work without it; it never reads message data into script.
enum ViewerAssets {
    /// The style sheet of every page.
    static let css =
        """
        body{margin:0;font:15px/1.4 "gg sans","Noto Sans",system-ui,sans-serif;background:#313338;color:#dbdee1}\
        a{color:#00a8fc}header{display:flex;gap:1em;align-items:center;padding:.5em 1em;background:#1e1f22;\
        position:sticky;top:0;z-index:2}header form{display:flex;gap:.4em;align-items:center}\
        header input{padding:.3em;background:#383a40;color:#dbdee1;border:0;border-radius:3px}\
        header input[type=search]{width:32em;max-width:50vw}main{padding:0 1em 2em}h1.title{font-size:1.2em}\
        .day{display:flex;align-items:center;text-align:center;color:#949ba4;font-size:.75em;font-weight:600;\
        margin:1.2em 0 .4em}.day::before,.day::after{content:"";flex:1;border-top:1px solid #3f4147;margin:0 .5em}\
        .group{display:grid;grid-template-columns:40px 1fr;column-gap:1em;margin:.9em 0 0}.group>.avatar{\
        width:40px;height:40px;border-radius:50%;grid-row:span 200}.head{line-height:1.3}.author{font-weight:600;\
        color:#f2f3f5}.head time{color:#949ba4;font-size:.75em;margin-left:.5em}.msg{padding:.1em .3em;\
        border-radius:3px;word-wrap:break-word}.msg:hover{background:#2e3035}.msg:target,.msg.target{background:\
        #444b3a;transition:background 1s}.deleted>.chatlog__content{text-decoration:line-through;color:#a0a0a0}\
        .deleted{border-left:2px solid #da373c}.reply{font-size:.8em;color:#b5bac1}.reply a{color:#b5bac1}\
        .marks{font-size:.75em}.edited,.note{color:#949ba4;font-size:.75em}.tombstone{color:#f23f43}\
        .revisions{font-size:.85em;color:#b5bac1;margin:.2em 0}.revisions ol{margin:.2em 0;padding-left:1.5em}\
        .revisions time{color:#949ba4;font-size:.85em;margin-right:.5em}.thread-link{font-size:.85em}\
        .nav{display:block;margin:1em 0;text-align:center}.nav.done{display:none}ul.channels{list-style:none;\
        padding-left:0}ul.channels li{padding:.15em 0}ul.channels li.thread{margin-left:1.5em}ul.channels li.category{\
        margin-top:.8em;text-transform:uppercase;font-size:.8em;color:#949ba4}.snippet{white-space:pre-wrap}\
        mark{background:#5865f2;color:#fff}ol.results{list-style:none;padding:0}ol.results li{background:#2b2d31;\
        border-radius:4px;padding:.5em .8em;margin:.5em 0}ol.results time{color:#949ba4;font-size:.75em;\
        margin-left:.5em}.help{color:#949ba4;font-size:.85em}.help code{background:#2b2d31;padding:0 .2em}\
        .threads{margin:.5em 0 1em}.login{max-width:24em;margin:3em auto}.login input{width:100%;margin:.3em 0}
        """ + MessageHTMLStyle.css(dark: true)

    /// The infinite-scroll script.
    static let viewerScript = #"""
        "use strict";
        (() => {
          const log = document.getElementById("log");
          if (!log) return;
          const channel = log.dataset.channel;
          const keep = 400;
          const links = { older: document.getElementById("load-older"), newer: document.getElementById("load-newer") };
          const busy = { older: false, newer: false };
          const done = { older: !links.older, newer: !links.newer };
          const messages = () => log.querySelectorAll(".msg[data-id]");
          const page = () => document.scrollingElement || document.documentElement;

          async function load(direction) {
            if (busy[direction] || done[direction]) return;
            const all = messages();
            if (all.length === 0) return;
            const edge = direction === "older" ? all[0] : all[all.length - 1];
            busy[direction] = true;
            try {
              const cursor = direction === "older" ? "before" : "after";
              const url = "/skald/api/channels/" + encodeURIComponent(channel) + "/page?" + cursor + "=" +
                encodeURIComponent(edge.dataset.id);
              const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
              if (!response.ok) { finish(direction); return; }
              const body = await response.json();
              const fragment = document.createElement("template");
              fragment.innerHTML = body.html;
              if (direction === "older") {
                const height = page().scrollHeight;
                log.prepend(fragment.content);
                page().scrollTop += page().scrollHeight - height;
              } else {
                log.append(fragment.content);
              }
              if (!body.more) finish(direction);
              trim(direction === "older" ? "newer" : "older");
              refreshLinks();
            } catch (error) {
              finish(direction);
            } finally {
              busy[direction] = false;
            }
          }

          function finish(direction) {
            done[direction] = true;
            if (links[direction]) links[direction].classList.add("done");
          }

          // Never hold the whole channel: drop groups from the far end beyond `keep` messages.
          function trim(side) {
            while (messages().length > keep) {
              const node = side === "older" ? log.firstElementChild : log.lastElementChild;
              if (!node) break;
              if (side === "older") {
                const height = page().scrollHeight;
                node.remove();
                page().scrollTop -= height - page().scrollHeight;
              } else {
                node.remove();
              }
              done[side] = false;
              if (links[side]) links[side].classList.remove("done");
            }
          }

          function refreshLinks() {
            const all = messages();
            if (all.length === 0) return;
            if (links.older) links.older.href = "/channels/" + channel + "?before=" + all[0].dataset.id;
            if (links.newer) links.newer.href = "/channels/" + channel + "?after=" + all[all.length - 1].dataset.id;
          }

          if ("IntersectionObserver" in window) {
            const observer = new IntersectionObserver((entries) => {
              for (const entry of entries) {
                if (entry.isIntersecting) load(entry.target === links.older ? "older" : "newer");
              }
            }, { rootMargin: "800px 0px" });
            for (const link of [links.older, links.newer]) if (link) observer.observe(link);
          }

          // A jump (`?around=ID#mID`): bring the message into view and mark it.
          const target = location.hash.startsWith("#m") ? document.getElementById(location.hash.slice(1)) : null;
          if (target) {
            target.classList.add("target");
            target.scrollIntoView({ block: "center" });
          }
          document.addEventListener("click", (event) => {
            const link = event.target.closest ? event.target.closest("a.jump") : null;
            if (!link) return;
            const hash = link.hash;
            const here = hash && document.getElementById(hash.slice(1));
            if (here) {
              event.preventDefault();
              for (const old of log.querySelectorAll(".msg.target")) old.classList.remove("target");
              here.classList.add("target");
              here.scrollIntoView({ block: "center", behavior: "smooth" });
              history.replaceState(null, "", hash);
            }
          });
        })();
        """#
}
