# SPDX-License-Identifier: MIT
# The Debian package: `cpack -G DEB` in a build folder writes
# lakeorm_<version>_amd64.deb with everything `cmake --install` puts in /usr
# (docs/packages.md). One package, not a runtime/-dev pair: the headers, the
# CMake and pkg-config files weigh nothing beside libduckdb, and one package
# keeps the library, its tool and its private libduckdb at one version.

# A Debian package's license statement is /usr/share/doc/<package>/copyright;
# any other install gets the same file, which names libduckdb's license too
# because libduckdb travels inside.
# Its format (DEP-5) wants the license text indented, blank lines as " .";
# LICENSE stays the one source of it.
file(READ ${PROJECT_SOURCE_DIR}/LICENSE lake_license)
string(FIND "${lake_license}" "Permission" lake_license_start) # after the title and copyright lines
string(SUBSTRING "${lake_license}" ${lake_license_start} -1 lake_license)
string(STRIP "${lake_license}" lake_license)
string(REPLACE "\n\n" "\n.\n" lake_license "${lake_license}")
string(REPLACE "\n" "\n " LAKE_LICENSE_BODY " ${lake_license}")
# The template's SPDX line is the source tree's; the Debian format has no comments.
file(READ ${PROJECT_SOURCE_DIR}/cmake/copyright.in lake_copyright)
string(REGEX REPLACE "^#[^\n]*\n" "" lake_copyright "${lake_copyright}")
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/copyright CONTENT "${lake_copyright}" @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(LAKE_PACKAGE_MAINTAINER "The lakeorm authors" CACHE STRING "The Debian package's Maintainer field")

set(CPACK_PACKAGE_NAME lakeorm)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${LAKE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "validate typed records and write them once into lakehouse tables")
set(CPACK_PACKAGE_DESCRIPTION "lakeorm checks typed records against a model and writes them, all or nothing,
into DuckDB, Delta Lake or Apache Iceberg tables through embedded DuckDB,
Spark Connect or a Databricks SQL warehouse. This package holds the C
library (with its private libduckdb), its headers, CMake and pkg-config
files, and the lakeorm command-line tool with its manual pages and shell
completions.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The files are stripped: a package's users debug with -dbgsym packages, not
# with symbols in /usr/lib.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # lakeorm_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
# Depends comes from what the binaries link (dpkg-shlibdeps). libduckdb is
# inside the package, so it is looked up there: $ORIGIN/lakeorm, not a
# Debian package.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps runs in the package root, so the folder is relative to it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS usr/${CMAKE_INSTALL_LIBDIR}/lakeorm)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# dpkg runs ldconfig once per transaction when a package activates its
# trigger (CPack's generated postinst calls it too, which is merely slower).
file(WRITE ${PROJECT_BINARY_DIR}/debian/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/debian/triggers)
# Compressed manual pages, the changelog, a stripped libduckdb.
set(CPACK_PRE_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/LakePackageStage.cmake)
set(CPACK_LAKE_CHANGELOG ${PROJECT_SOURCE_DIR}/CHANGELOG.md)
set(CPACK_LAKE_STRIP ${CMAKE_STRIP})
include(CPack)
