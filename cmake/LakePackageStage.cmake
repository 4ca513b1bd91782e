# SPDX-License-Identifier: MIT
# Run by cpack (CPACK_PRE_BUILD_SCRIPTS, cmake/LakePackage.cmake) on the staged
# tree before it is packed: what Debian's policy asks of a binary package that
# `cmake --install` does not do, because other installs do not want it.
set(root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}")

function(lake_stage_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "packaging: ${ARGN} failed (${rc})")
  endif()
endfunction()

# Manual pages are compressed (policy 12.1); -n keeps the timestamp out, so
# two builds of one tree give the same bytes.
file(GLOB_RECURSE pages LIST_DIRECTORIES false "${root}/*.[1-9]")
foreach(page IN LISTS pages)
  if(page MATCHES "/share/man/")
    lake_stage_run(gzip -9nf "${page}")
  endif()
endforeach()

# GLOB_RECURSE matches a file name pattern in every folder below root; the
# folder is then checked (a wildcard in a middle folder is not expanded).
function(lake_stage_find out name path_regex)
  file(GLOB_RECURSE found LIST_DIRECTORIES false "${root}/${name}")
  list(FILTER found INCLUDE REGEX "${path_regex}")
  list(LENGTH found n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "packaging: expected one ${name} matching ${path_regex} in ${root}, found ${n}")
  endif()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

# A native package's changelog (policy 12.7) is the project's own.
lake_stage_find(copyright copyright "/share/doc/lakeorm/copyright$")
get_filename_component(docdir "${copyright}" DIRECTORY)
execute_process(COMMAND gzip -9n -c "${CPACK_LAKE_CHANGELOG}" OUTPUT_FILE "${docdir}/changelog.gz" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "packaging: cannot compress ${CPACK_LAKE_CHANGELOG}")
endif()

# libduckdb comes with its symbol tables; CPACK_STRIP_FILES strips only what
# lakeorm builds. Its dynamic symbols, which the loader needs, stay.
lake_stage_find(duckdb libduckdb.so "/lakeorm/libduckdb\\.so$")
lake_stage_run(${CPACK_LAKE_STRIP} --strip-unneeded --remove-section=.comment --remove-section=.note "${duckdb}")
