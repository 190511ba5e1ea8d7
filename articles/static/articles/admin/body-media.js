// Library photos and galleries in the story body editor (django-prose-editor, Tiptap).
//
// The body stores references only: <figure data-photo-id="12"><figcaption>this story's
// caption</figcaption></figure> and <figure data-gallery-id="3"></figure>; the page fills in
// the current picture, caption and credit (stories/body_media.py). These two nodes are what
// keeps the editor from dropping those figures, and the "Insert photo" / "Insert gallery"
// buttons pick from the photo library through the admin's autocomplete, as the lead-photo
// picker does. A static module, loaded by the editor itself: nothing inline, for the CSP.
import { Extension, Node } from "django-prose-editor/editor"

// What the desk knows of each reference (thumbnail, library caption, credit): from the story
// form for the references already in the body, and from the picker for new ones.
const known = { photo: new Map(), gallery: new Map() }
for (const textarea of document.querySelectorAll("textarea[data-body-media]")) {
  const media = JSON.parse(textarea.dataset.bodyMedia)
  for (const kind of ["photo", "gallery"]) {
    for (const [id, info] of Object.entries(media[kind] || {})) known[kind].set(String(id), info)
  }
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className") node.className = value
    else node.setAttribute(name, value)
  }
  node.append(...children.filter((child) => child !== null && child !== undefined))
  return node
}

function thumbnail(info) {
  return info && info.thumbnail
    ? element("img", { src: info.thumbnail, alt: "", width: "64", height: "64" })
    : element("span", { className: "newsroom-media-nothumb", "aria-hidden": "true" }, "?")
}

// A photo's library text already ends with its credit; a gallery has none.
function creditLine(info) {
  return info && info.credit && !info.text.includes(info.credit) ? element("small", {}, info.credit) : null
}

// A small modal built on <dialog>: focus stays inside, Escape closes it.
function openDialog(title, build) {
  const dialog = element("dialog", { className: "newsroom-media-dialog", "aria-label": title })
  const form = element("form", { method: "dialog" }, element("h2", {}, title))
  dialog.append(form)
  document.body.append(dialog)
  dialog.addEventListener("close", () => dialog.remove())
  build(form, dialog)
  dialog.showModal()
  return dialog
}

function captionField(value) {
  const id = `newsroom-media-caption-${Math.random().toString(36).slice(2)}`
  const textarea = element("textarea", { id, name: "caption", rows: "2" })
  textarea.value = value || ""
  const help = element(
    "p",
    { className: "help" },
    "Optional. Replaces the library caption in this story only; leave empty to use the library's.",
  )
  return [element("label", { for: id }, "Caption for this story"), textarea, help]
}

function pickFromLibrary({ kind, url, fieldName, onPick }) {
  const title = kind === "photo" ? "Insert a library photo" : "Insert a gallery"
  openDialog(title, (form, dialog) => {
    const searchId = `newsroom-media-search-${kind}`
    const search = element("input", { id: searchId, type: "search", autocomplete: "off" })
    const status = element("p", { className: "newsroom-media-status", role: "status" })
    const results = element("ul", { className: "newsroom-media-results" })
    const caption = kind === "photo" ? captionField("") : []
    const insert = element("button", { type: "button", className: "default", disabled: "" }, "Insert")
    const cancel = element("button", { type: "button" }, "Cancel")
    let chosen = null
    let request = 0

    form.append(
      element("label", { for: searchId }, kind === "photo" ? "Search the photo library" : "Search galleries"),
      search,
      status,
      results,
      ...caption,
      element("div", { className: "newsroom-media-actions" }, insert, cancel),
    )

    async function load() {
      const mine = ++request
      const query = new URLSearchParams({
        term: search.value,
        app_label: "articles",
        model_name: "article",
        field_name: fieldName,
      })
      status.textContent = "Searching…"
      let data
      try {
        const response = await fetch(`${url}?${query}`, { credentials: "same-origin" })
        if (!response.ok) throw new Error(response.statusText)
        data = await response.json()
      } catch (error) {
        if (mine === request) status.textContent = "The library did not answer. Try again."
        return
      }
      if (mine !== request) return
      results.replaceChildren()
      // A photo picked while this search ran stays picked if the new results still hold it.
      if (chosen && !data.results.some((item) => item.id === chosen.id)) chosen = null
      insert.disabled = !chosen
      for (const item of data.results) {
        const picked = chosen !== null && item.id === chosen.id
        const option = element(
          "button",
          { type: "button", className: "newsroom-media-option", "aria-pressed": String(picked) },
          thumbnail(item),
          element("span", {}, item.text, creditLine(item)),
        )
        option.addEventListener("click", () => {
          for (const other of results.querySelectorAll("[aria-pressed=true]")) {
            other.setAttribute("aria-pressed", "false")
          }
          option.setAttribute("aria-pressed", "true")
          chosen = item
          insert.disabled = false
        })
        results.append(element("li", {}, option))
      }
      const count = data.results.length
      status.textContent = count
        ? `${count}${data.pagination && data.pagination.more ? "+" : ""} found. Pick one, then Insert.`
        : "Nothing found."
    }

    let timer = null
    search.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(load, 250)
    })
    // Enter in the search box searches at once instead of closing the dialog.
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault()
        clearTimeout(timer)
        load()
      }
    })
    cancel.addEventListener("click", () => dialog.close())
    insert.addEventListener("click", () => {
      if (!chosen) return
      known[kind].set(String(chosen.id), {
        thumbnail: chosen.thumbnail,
        text: chosen.text,
        credit: chosen.credit,
      })
      onPick(chosen, kind === "photo" ? form.elements.caption.value.trim() : "")
      dialog.close()
    })
    load()
  })
}

// How a reference looks in the editor: thumbnail, what it is, and (for photos) the caption
// this story gives it, which the editor can change.
function referenceView(kind, { node, getPos, editor }) {
  const dom = element("figure", { className: `newsroom-body-media newsroom-body-${kind}` })
  function render(current) {
    const id = String(current.attrs[`${kind}Id`])
    const info = known[kind].get(id)
    const label = kind === "photo" ? "Library photo" : "Gallery"
    const details = element(
      "div",
      {},
      element("strong", {}, `${label} #${id}`),
      " ",
      info ? info.text : "",
      creditLine(info),
    )
    const parts = [thumbnail(info), details]
    if (kind === "photo") {
      const override = current.attrs.caption
      details.append(
        element(
          "div",
          { className: "newsroom-media-override" },
          override ? `Caption for this story: ${override}` : "Library caption",
        ),
      )
      const change = element("button", { type: "button", className: "newsroom-media-edit" }, "Edit caption")
      change.addEventListener("click", () => {
        openDialog(`Caption of photo ${id} in this story`, (form, dialog) => {
          const save = element("button", { type: "button", className: "default" }, "Save caption")
          const cancel = element("button", { type: "button" }, "Cancel")
          form.append(...captionField(current.attrs.caption), element("div", { className: "newsroom-media-actions" }, save, cancel))
          cancel.addEventListener("click", () => dialog.close())
          save.addEventListener("click", () => {
            const caption = form.elements.caption.value.trim()
            const { tr } = editor.state
            editor.view.dispatch(tr.setNodeMarkup(getPos(), undefined, { ...current.attrs, caption }))
            dialog.close()
            editor.commands.focus()
          })
        })
      })
      parts.push(change)
    }
    dom.replaceChildren(...parts)
  }
  render(node)
  return {
    dom,
    update(updated) {
      if (updated.type !== node.type) return false
      render(updated)
      return true
    },
    stopEvent: (event) => Boolean(event.target.closest && event.target.closest("button")),
    ignoreMutation: () => true,
  }
}

const LibraryPhoto = Node.create({
  name: "libraryPhoto",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return {
      photoId: {
        default: null,
        parseHTML: (el) => el.getAttribute("data-photo-id"),
        renderHTML: (attrs) => ({ "data-photo-id": attrs.photoId }),
      },
      caption: {
        default: "",
        parseHTML: (el) => (el.querySelector("figcaption")?.textContent || "").trim(),
        rendered: false,
      },
    }
  },
  parseHTML() {
    return [{ tag: "figure[data-photo-id]", priority: 60 }]
  },
  renderHTML({ node, HTMLAttributes }) {
    const caption = node.attrs.caption
    return caption ? ["figure", HTMLAttributes, ["figcaption", caption]] : ["figure", HTMLAttributes]
  },
  addNodeView() {
    return (props) => referenceView("photo", props)
  },
})

const LibraryGallery = Node.create({
  name: "libraryGallery",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return {
      galleryId: {
        default: null,
        parseHTML: (el) => el.getAttribute("data-gallery-id"),
        renderHTML: (attrs) => ({ "data-gallery-id": attrs.galleryId }),
      },
    }
  },
  parseHTML() {
    return [{ tag: "figure[data-gallery-id]", priority: 60 }]
  },
  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },
  addNodeView() {
    return (props) => referenceView("gallery", props)
  },
})

export const LibraryMedia = Extension.create({
  name: "libraryMedia",
  addOptions() {
    return { autocompleteUrl: "" }
  },
  addExtensions() {
    return [LibraryPhoto, LibraryGallery]
  },
  addMenuItems({ menu, buttons }) {
    const url = this.options.autocompleteUrl
    menu.defineItem({
      name: "insertLibraryPhoto",
      groups: "nodes",
      button: buttons.material("add_photo_alternate", "Insert photo"),
      command(editor) {
        pickFromLibrary({
          kind: "photo",
          url,
          fieldName: "lead_photo",
          onPick: (item, caption) =>
            editor.chain().focus().insertContent({ type: "libraryPhoto", attrs: { photoId: String(item.id), caption } }).run(),
        })
      },
    })
    menu.defineItem({
      name: "insertLibraryGallery",
      groups: "nodes",
      button: buttons.material("photo_library", "Insert gallery"),
      command(editor) {
        pickFromLibrary({
          kind: "gallery",
          url,
          fieldName: "lead_gallery",
          onPick: (item) =>
            editor.chain().focus().insertContent({ type: "libraryGallery", attrs: { galleryId: String(item.id) } }).run(),
        })
      },
    })
  },
})
