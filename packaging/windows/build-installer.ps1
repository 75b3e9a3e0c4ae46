# Build dist\outage-radar-<version>-setup.exe on Windows: PyInstaller bundle + Inno Setup (recipe).
# Needs Python 3.11+ and Inno Setup 6 (iscc.exe on PATH or in its default folder).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$venv = "build\windows\venv"
if (-not (Test-Path "$venv\Scripts\python.exe")) { python -m venv $venv }
& "$venv\Scripts\python.exe" -m pip install -q "pyinstaller>=6.10" .
if ($LASTEXITCODE) { throw "pip install failed" }
$version = & "$venv\Scripts\python.exe" -c "from importlib.metadata import version; print(version('outage-radar'))"
& "$venv\Scripts\pyinstaller.exe" --noconfirm --distpath dist --workpath build\windows\work packaging\outage-radar.spec
if ($LASTEXITCODE) { throw "pyinstaller failed" }
& "dist\outage-radar\outage-radar-cli.exe" --version
if ($LASTEXITCODE) { throw "the bundle does not start" }
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" packaging\windows\outage-radar.iss
if ($LASTEXITCODE) { throw "iscc failed" }
Get-Item "dist\outage-radar-$version-setup.exe"
