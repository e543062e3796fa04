// Fuzz target: an untrusted rule file (`--rules`) through the catalog's parser and validator,
// and, when it is accepted, through engine compilation, a few events and finish(), then the
// remediation placeholders the report fills in. Rules passed on the command line are not
// ours, so a rule must never crash or hang the engine whatever it says.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "input/input.h"
#include "record/record.h"
#include "report/report.h"

namespace {

// A few records of one operation plus unrelated ones, spread over time, so matchers,
// outcomes, windows and sequences all have something to look at.
constexpr std::string_view kEvents =
    R"({"time":"2024-05-14T09:10:00.0000000Z","operationName":"Microsoft.Authorization/locks/delete","category":"Administrative","resultType":"Success","callerIpAddress":"198.51.100.7","correlationId":"c1","resourceId":"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Authorization/locks/l1","identity":{"claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"a@b.c","appid":"app-1"}},"properties":{"statusCode":"OK","requestbody":"{\"properties\":{\"principalId\":\"p1\",\"roleDefinitionId\":\"/x/8e3af657\"}}"}}
{"time":"2024-05-14T09:12:03.1234567Z","operationName":"Microsoft.Compute/virtualMachines/delete","category":"Administrative","resultType":"Start","callerIpAddress":"198.51.100.7","correlationId":"c2","resourceId":"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1","identity":{"claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"a@b.c"}}}
{"time":"2024-05-14T09:12:09.1234567Z","operationName":"Microsoft.Compute/virtualMachines/delete","category":"Administrative","resultType":"Success","resultSignature":"Succeeded.OK","callerIpAddress":"198.51.100.7","correlationId":"c2","resourceId":"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1","identity":{"claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"a@b.c"}}}
{"time":"2024-05-14T09:13:00.0000000Z","operationName":"Microsoft.Authorization/roleAssignments/write","category":"Administrative","resultType":"Failure","callerIpAddress":"203.0.113.9","correlationId":"c3","resourceId":"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/r1","properties":{"statusMessage":"{\"error\":{\"code\":\"AuthorizationFailed\"}}","requestbody":"{\"properties\":{\"principalId\":\"p1\"}}"}}
{"time":"2024-05-14T09:14:00.0000000Z","operationName":"Microsoft.Storage/storageAccounts/listKeys/action","category":"Administrative","resultType":"Success","correlationId":"c4","resourceId":"/subscriptions/s1/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/st1"}
)";

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  azd::catalog::Catalog catalog;
  std::vector<azd::catalog::LintError> errors;
  const bool added = catalog.add_from_text("fuzz.json", text, &errors);
  if (!added) {
    require(!errors.empty() && catalog.rules().empty());
    return 0;
  }
  require(catalog.rules().size() == 1);

  static const std::string padded = [] {
    std::string s(kEvents);
    s.append(azd::input::kPadding, '\0');
    return s;
  }();
  azd::record::Reader reader;
  azd::engine::Engine engine(catalog);
  engine.begin_input("fuzz-events", 0);
  reader.read(std::string_view(padded.data(), kEvents.size()),
              [&](const azd::record::EventView& ev) { engine.on_event(ev); });
  const std::vector<azd::engine::Finding> findings = engine.finish();
  std::size_t sum = 0;
  const azd::catalog::Remediation& rem = catalog.rules().front().remediation;
  for (const azd::engine::Finding& f : findings) {
    require(f.rule == &catalog.rules().front());
    require(f.evidence.size() <= azd::engine::kMaxEvidence);
    sum += azd::report::fill_placeholders(rem.summary, f).size();
    for (const auto* steps : {&rem.triage, &rem.containment, &rem.recovery, &rem.prevention}) {
      for (const azd::catalog::Step& s : *steps) sum += azd::report::fill_placeholders(s.command, f).size();
    }
  }
  return sum == 0xFFFFFFFF ? 1 : 0;
}
