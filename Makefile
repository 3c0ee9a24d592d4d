# qip-site: every command sets up what it needs (a virtual environment in .venv) on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
# Material prints an end-of-life banner on every build; editors need the plan messages, not that.
export NO_MKDOCS_2_WARNING := 1
# Python keeps each module compiled in __pycache__/; where the machine turns that off (PYTHONDONTWRITEBYTECODE,
# as some containers do), every build and every test's command would compile qip-site again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install upgrade check inbox site pdf serve test bench bench-search chromium libreoffice poppler fonts clean

help:
	@echo "make serve   xem trước tại http://127.0.0.1:8000 (tự cập nhật khi sửa plans/)"
	@echo "make site    kiểm tra kế hoạch rồi dựng trang web vào site/"
	@echo "make check   chỉ kiểm tra các tệp trong plans/"
	@echo "make pdf     in bản PDF của các kế hoạch mới hoặc đã sửa (cài Chromium nếu thiếu); make site đăng chúng"
	@echo "make inbox   nhập các tệp đã tải lên tai-len/, kiểm tra rồi ghi commit (việc đăng trang gọi lệnh này)"
	@echo "make test    chạy toàn bộ kiểm thử (cài Chromium và LibreOffice của Debian nếu thiếu)"
	@echo "make bench   đo thời gian dựng, bộ nhớ, dung lượng, dựng lại sau một lần sửa và xem trước (100, 1.000, 5.000, 12.000 kế hoạch giả lập; khoảng một giờ)"
	@echo "make bench-search  đo dung lượng lần tìm đầu trên trang 1.000 và 5.000 kế hoạch giả lập"
	@echo "make upgrade lên phiên bản thư viện mới nhất được phép, ghi vào constraints.txt (rồi make test)"
	@echo "make clean   xóa site/, các thư mục tạm và bộ nhớ đệm kiểm thử"

# uv (pinned in constraints.txt) installs the packages in about 3 s where pip takes 15; where uv cannot be
# installed or cannot install them (no wheel for the machine, a network only pip is set up for), pip does.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	{ $(BIN)/python -m pip install --quiet -c constraints.txt uv && \
	  $(BIN)/uv pip install --python $(BIN)/python --quiet -c constraints.txt -e '.[test]'; } || \
	  $(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# The newest versions pyproject.toml allows, written back to constraints.txt (review, test, commit).
upgrade:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet --upgrade -e '.[test]'
	{ sed -n '/^#/p' constraints.txt; $(BIN)/uv pip freeze --python $(BIN)/python --exclude-editable \
	  | grep -viE '^(qip-site|pip|setuptools)=='; } > constraints.new
	mv constraints.new constraints.txt
	rm -f $(VENV)/.installed-*

check: install
	$(BIN)/qip-site check plans

# The publishing jobs' first step: the files uploaded into tai-len/ imported, checked and committed
# (qip_site/commands/inbox.py). LibreOffice, which converts .doc, .odt and .rtf files, is installed
# first when such a file waits and it is missing (with sudo when not root: GitHub's runner).
# QIP_INBOX_SUMMARY=FILE: the Markdown summary written to FILE too (GitLab has no job summary page).
inbox: install
	@if ! command -v soffice >/dev/null 2>&1 && [ -n "$$(find tai-len -type f \( -iname '*.doc' -o -iname '*.odt' \
	  -o -iname '*.rtf' \) 2>/dev/null)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then $(MAKE) --no-print-directory libreoffice; \
	  else sudo $(MAKE) --no-print-directory libreoffice; fi; fi
	$(BIN)/qip-site inbox $(if $(QIP_INBOX_SUMMARY),--summary "$(QIP_INBOX_SUMMARY)")

site: install
	$(BIN)/qip-site build

# Each plan's PDF (qip_site/outputs/pdf.py): Chromium prints the plan pages whose content changed into
# .cache/qip-pdf/, then `make site` links them. The publishing jobs run it before `make site`.
pdf: install chromium
	$(BIN)/qip-site pdf

serve: install
	$(BIN)/qip-site serve

# Browser tests drive Debian's Chromium (no browser download is possible here).
# Also what `make pdf` prints with. GitHub's runners have /usr/bin/chromium already; elsewhere, not as root
# (a runner's user), apt-get runs with sudo.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "Cài Chromium của Debian cho kiểm thử trình duyệt và bản PDF…"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# LibreOffice (Debian's, without its interface) opens the open-data CSV as a spreadsheet would and
# turns the Word fixtures into real .doc files for the importer's tests.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Cài LibreOffice của Debian cho kiểm thử tệp CSV và tệp .doc…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libreoffice-calc-nogui libreoffice-writer-nogui >/dev/null; }

# pdffonts and pdftotext (Debian's poppler-utils) read back the PDF Chromium prints (tests/test_print.py).
poppler:
	@command -v pdffonts >/dev/null 2>&1 || { \
	  echo "Cài poppler-utils của Debian cho kiểm thử bản in PDF…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

# The print font (Tinos, SIL OFL 1.1) is committed in overrides/assets/fonts/tinos/, so a build needs no npm;
# `make fonts` copies it again from the npm package pinned in package-lock.json (Vietnamese and Latin subsets, woff2).
TINOS := node_modules/@fontsource/tinos
fonts: node_modules/axe-core/axe.min.js
	mkdir -p overrides/assets/fonts/tinos
	for subset in vietnamese latin; do for style in 400-normal 400-italic 700-normal 700-italic; do \
	  cp $(TINOS)/files/tinos-$$subset-$$style.woff2 overrides/assets/fonts/tinos/; done; done
	cp $(TINOS)/LICENSE overrides/assets/fonts/tinos/LICENSE.txt

# axe-core (accessibility checks in Chromium) comes from the npm registry, pinned in package-lock.json.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Cài Node.js và npm của Debian cho kiểm thử khả năng tiếp cận…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund
	touch $@

# One test worker more than cores: while one waits (a page settling, LibreOffice starting), the others use
# the CPU (on 2 cores, 04/12/2026: 2 workers 231 s, 3 workers 203–211 s, 4 workers 232 s; a file per worker at a time).
TEST_WORKERS := $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

test: install chromium libreoffice poppler node_modules/axe-core/axe.min.js
	$(BIN)/ruff check qip_site tests tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Benchmarks print a table; tests never assert on timings.
# bench: 100, 1,000, 5,000 and 12,000 synthetic plans (a province), ours and plain MkDocs + Material (up to
# 5,000), the rebuild after one edit and the preview (about an hour).
bench: install chromium
	$(BIN)/python tools/bench.py build --plans 100 1000 5000 12000

bench-search: install chromium
	$(BIN)/python tools/bench.py search --plans 1000 5000

clean:
	rm -rf site .site.* .pytest_cache
