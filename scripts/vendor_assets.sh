#!/usr/bin/env sh
# Copies GOV.UK Frontend, the MoJ patterns and axe-core from node_modules into static/vendor (never committed),
# pointing their asset URLs at /static/vendor/ and dropping source-map references that are not shipped.
set -eu
rm -rf static/vendor
mkdir -p static/vendor/govuk static/vendor/moj static/vendor/axe
cp -R node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk/
cp -R node_modules/@ministryofjustice/frontend/moj/assets static/vendor/moj/
cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css static/vendor/moj/
cp node_modules/axe-core/axe.min.js static/vendor/axe/
sed -i 's#url(/assets/#url(/static/vendor/govuk/assets/#g' static/vendor/govuk/govuk-frontend.min.css
sed -i 's#url(/assets/#url(/static/vendor/moj/assets/#g' static/vendor/moj/moj-frontend.min.css
for f in static/vendor/govuk/govuk-frontend.min.css static/vendor/moj/moj-frontend.min.css static/vendor/govuk/govuk-frontend.min.js; do
  sed -i -e 's#/\*\# sourceMappingURL=[^*]*\*/##g' -e 's#^//\# sourceMappingURL=.*$##' "$f"
done
touch static/vendor/.installed
