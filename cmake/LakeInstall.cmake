# SPDX-License-Identifier: MIT
include(CMakePackageConfigHelpers)

# Two export sets: the shared library's needs nothing but itself and
# libduckdb (which travels with it), the static library's needs every private
# dependency's development files. lakeorm-config.cmake loads the second only
# when those are there (the `static` component).
install(TARGETS lakeorm EXPORT lakeormTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS lakeorm_static EXPORT lakeormStaticTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# libduckdb has no versioned SONAME and no distribution package: it travels
# with lakeorm, in a folder of its own (see INSTALL_RPATH in src/CMakeLists.txt).
install(FILES ${DUCKDB_LIBRARY} DESTINATION ${CMAKE_INSTALL_LIBDIR}/lakeorm)
install(EXPORT lakeormTargets NAMESPACE lakeorm:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lakeorm)
install(EXPORT lakeormStaticTargets NAMESPACE lakeorm:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lakeorm)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lakeorm-config.cmake.in
  ${PROJECT_BINARY_DIR}/lakeorm-config.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lakeorm)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lakeorm-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/lakeorm-config.cmake ${PROJECT_BINARY_DIR}/lakeorm-config-version.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lakeorm)

# Relocatable .pc files: the prefix is found relative to the file itself.
# Two, as the export sets above: lakeorm.pc for the shared library names no
# private dependency (pkg-config resolves Requires.private even without
# --static, and fails when their -dev .pc files are missing, which a shared
# consumer has no reason to install); lakeorm-static.pc names them all.
file(RELATIVE_PATH LAKE_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
foreach(pc lakeorm lakeorm-static)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
