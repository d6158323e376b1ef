// Initialise GOV.UK Frontend and MOJ Frontend components on every page.
//
// base.html loads both libraries as ES modules with {% static %} URLs (hashed in production),
// marked with data-frontend="govuk" / "moj". Importing those same URLs here reuses the
// already-loaded module instances, so this file never hard-codes a static path. It is a
// separate file because the Content-Security-Policy forbids inline scripts without a nonce.

const urlOf = (name) => document.querySelector(`script[data-frontend="${name}"]`)?.src

const govukUrl = urlOf('govuk')
const mojUrl = urlOf('moj')

if (govukUrl) {
  const { initAll } = await import(govukUrl)
  initAll()
}
if (mojUrl) {
  const { initAll } = await import(mojUrl)
  initAll()
}
