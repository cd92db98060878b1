# What an installed llmcost brings besides the binary and its catalog: bash completion and a man
# page, both generated from the parser (`llmcost completion bash|man`; the man page by help2man when
# it is installed), and a .deb of all of it: `cpack -G DEB` in the build folder.
set(LLMCOST_GEN ${CMAKE_CURRENT_BINARY_DIR}/generated)
add_custom_command(
  OUTPUT ${LLMCOST_GEN}/llmcost.bash
  COMMAND ${CMAKE_COMMAND} -E make_directory ${LLMCOST_GEN}
  COMMAND sh -c "$<TARGET_FILE:llmcost> completion bash > ${LLMCOST_GEN}/llmcost.bash"
  DEPENDS llmcost
  COMMENT "bash completion from the parser"
  VERBATIM)
set(LLMCOST_GENERATED ${LLMCOST_GEN}/llmcost.bash)
install(FILES ${LLMCOST_GEN}/llmcost.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME llmcost)

find_program(HELP2MAN help2man)
if(HELP2MAN)
  add_custom_command(
    OUTPUT ${LLMCOST_GEN}/llmcost.1
    COMMAND ${CMAKE_COMMAND} -E make_directory ${LLMCOST_GEN}
    COMMAND sh -c "$<TARGET_FILE:llmcost> completion man > ${LLMCOST_GEN}/commands.h2m"
    COMMAND ${HELP2MAN} --no-info --section=1 "--name=cost and scaling estimates for large language models"
            --include=${LLMCOST_GEN}/commands.h2m --output=${LLMCOST_GEN}/llmcost.1 $<TARGET_FILE:llmcost>
    DEPENDS llmcost
    COMMENT "man page from the help (help2man)"
    VERBATIM)
  list(APPEND LLMCOST_GENERATED ${LLMCOST_GEN}/llmcost.1)
  install(FILES ${LLMCOST_GEN}/llmcost.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page (apt-get install help2man)")
endif()
add_custom_target(llmcost_generated ALL DEPENDS ${LLMCOST_GENERATED})

# The .deb: the runtime only (the Python module, component "python", installs with cmake --install).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME llmcost)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "cost and scaling estimates for large language models")
set(CPACK_PACKAGE_CONTACT "llmcost developers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Debian 12's runtime libraries of the build dependencies (listed, not computed: the GPU plugin
# links the user's CUDA toolkit, which no Debian package provides).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libstdc++6, libgcc-s1, libfmt9, libtomlplusplus3, libmuparser2v5")
set(CPACK_COMPONENTS_ALL Unspecified)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
include(CPack)
