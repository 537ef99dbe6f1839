#include "server/demo/demo_catalogue.h"

namespace crm::demo {
namespace {

using events::FollowUpChannel;
using namespace std::string_view_literals;

// 华东一组 covers Jiangsu, 华东二组 Zhejiang and Shanghai, 华南组 Guangdong and Fujian. Area codes
// and postcodes are the cities' real ones, so the data survives a reviewer's look.
constexpr DemoCity kCities[] = {
    {"靖江", "江苏省泰州市", "0523", "214500", "jingjiang", 0},
    {"苏州", "江苏省苏州市", "0512", "215000", "suzhou", 0},
    {"无锡", "江苏省无锡市", "0510", "214000", "wuxi", 0},
    {"常州", "江苏省常州市", "0519", "213000", "changzhou", 0},
    {"南京", "江苏省南京市", "025", "210000", "nanjing", 0},
    {"南通", "江苏省南通市", "0513", "226000", "nantong", 0},
    {"扬州", "江苏省扬州市", "0514", "225000", "yangzhou", 0},
    {"江阴", "江苏省无锡市", "0510", "214400", "jiangyin", 0},
    {"昆山", "江苏省苏州市", "0512", "215300", "kunshan", 0},
    {"张家港", "江苏省苏州市", "0512", "215600", "zhangjiagang", 0},
    {"泰州", "江苏省泰州市", "0523", "225300", "taizhoujs", 0},
    {"杭州", "浙江省杭州市", "0571", "310000", "hangzhou", 1},
    {"宁波", "浙江省宁波市", "0574", "315000", "ningbo", 1},
    {"温州", "浙江省温州市", "0577", "325000", "wenzhou", 1},
    {"绍兴", "浙江省绍兴市", "0575", "312000", "shaoxing", 1},
    {"嘉兴", "浙江省嘉兴市", "0573", "314000", "jiaxing", 1},
    {"台州", "浙江省台州市", "0576", "318000", "taizhouzj", 1},
    {"义乌", "浙江省金华市", "0579", "322000", "yiwu", 1},
    {"慈溪", "浙江省宁波市", "0574", "315300", "cixi", 1},
    {"上海", "上海市", "021", "200000", "shanghai", 1},
    {"广州", "广东省广州市", "020", "510000", "guangzhou", 2},
    {"深圳", "广东省深圳市", "0755", "518000", "shenzhen", 2},
    {"东莞", "广东省东莞市", "0769", "523000", "dongguan", 2},
    {"佛山", "广东省佛山市", "0757", "528000", "foshan", 2},
    {"中山", "广东省中山市", "0760", "528400", "zhongshan", 2},
    {"珠海", "广东省珠海市", "0756", "519000", "zhuhai", 2},
    {"厦门", "福建省厦门市", "0592", "361000", "xiamen", 2},
    {"福州", "福建省福州市", "0591", "350000", "fuzhou", 2},
    {"泉州", "福建省泉州市", "0595", "362000", "quanzhou", 2},
    {"晋江", "福建省泉州市", "0595", "362200", "jinjiang", 2},
};

constexpr DemoTradeName kTradeNames[] = {
    {"春意", "chunyi"},    {"恒达", "hengda"},    {"华盛", "huasheng"},  {"金泰", "jintai"},     {"宏远", "hongyuan"},
    {"鑫源", "xinyuan"},   {"永固", "yonggu"},    {"天成", "tiancheng"}, {"瑞丰", "ruifeng"},    {"博远", "boyuan"},
    {"长风", "changfeng"}, {"海纳", "haina"},     {"新峰", "xinfeng"},   {"东升", "dongsheng"},  {"嘉和", "jiahe"},
    {"通达", "tongda"},    {"万隆", "wanlong"},   {"汇诚", "huicheng"},  {"锦程", "jincheng"},   {"启航", "qihang"},
    {"明辉", "minghui"},   {"立德", "lide"},      {"德润", "derun"},     {"宝鼎", "baoding"},    {"安泰", "antai"},
    {"华英", "huaying"},   {"振兴", "zhenxing"},  {"祥和", "xianghe"},   {"弘毅", "hongyi"},     {"正阳", "zhengyang"},
    {"星辰", "xingchen"},  {"凯旋", "kaixuan"},   {"润泽", "runze"},     {"恒信", "hengxin"},    {"信达", "xinda"},
    {"百川", "baichuan"},  {"聚力", "juli"},      {"精工", "jinggong"},  {"同创", "tongchuang"}, {"世纪", "shiji"},
    {"远航", "yuanhang"},  {"鼎盛", "dingsheng"}, {"卓越", "zhuoyue"},   {"友联", "youlian"},    {"金鹏", "jinpeng"},
    {"银河", "yinhe"},     {"宇辰", "yuchen"},    {"和泰", "hetai"},     {"富源", "fuyuan"},     {"荣盛", "rongsheng"},
    {"兴旺", "xingwang"},  {"合众", "hezhong"},   {"三力", "sanli"},     {"大洋", "dayang"},     {"联创", "lianchuang"},
    {"美达", "meida"},     {"蓝天", "lantian"},   {"绿源", "lvyuan"},    {"晨曦", "chenxi"},     {"腾飞", "tengfei"},
};

constexpr DemoIndustry kIndustries[] = {
    {"空调", "制冷设备", "中央空调、商用空调的生产与安装"},
    {"精密机械", "机械制造", "数控机床零部件的精密加工"},
    {"电子科技", "电子元器件", "PCB 组装与电子元器件的生产"},
    {"新材料", "新材料", "高分子复合材料的研发与生产"},
    {"纺织", "纺织服装", "棉纺、化纤面料的织造与印染"},
    {"服饰", "纺织服装", "中高端男女装的设计、生产与外贸"},
    {"化工", "化工", "工业涂料与精细化学品的生产"},
    {"食品", "食品饮料", "休闲食品与烘焙原料的生产"},
    {"医疗器械", "医疗器械", "一次性医用耗材与康复器械的生产"},
    {"物流", "物流运输", "公路整车、零担运输与仓储配送"},
    {"建材", "建材", "商品混凝土与新型墙体材料的生产"},
    {"包装", "包装印刷", "纸箱、彩盒与软包装的设计生产"},
    {"环保科技", "节能环保", "工业废水处理设备的制造与运营服务"},
    {"汽车零部件", "汽车零部件", "汽车内饰件与冲压件的配套生产"},
    {"阀门", "通用设备", "工业阀门与管件的生产"},
    {"模具", "模具制造", "注塑模具与五金模具的设计制造"},
    {"五金", "五金制品", "建筑五金与卫浴五金的生产"},
    {"照明", "照明电器", "LED 照明灯具的研发、生产与出口"},
    {"电气", "电气设备", "高低压开关柜与配电设备的生产"},
    {"光电", "光电", "光伏组件与光电子器件的生产"},
    {"家具", "家具制造", "办公家具与定制家居的生产"},
    {"塑胶", "塑料制品", "塑胶注塑件与日用塑料制品的生产"},
    {"生物科技", "生物医药", "酶制剂与生物发酵产品的研发生产"},
    {"贸易", "商贸", "进出口贸易与国内批发"},
};

constexpr std::string_view kLegalForms[] = {"有限公司", "有限公司",     "有限公司",     "有限公司",     "有限公司",
                                            "有限公司", "股份有限公司", "有限责任公司", "股份有限公司", "集团有限公司"};

constexpr std::string_view kStreets[] = {
    "人民路",   "解放路",       "建设路",       "中山路",         "长江路",
    "黄河路",   "开发区科技路", "高新区创业路", "工业园区兴业路", "经济开发区东方大道",
    "滨江大道", "振兴路"};

constexpr std::string_view kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                          "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                                          "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};

constexpr std::string_view kGivenNames[] = {"建国", "志强", "秀英", "丽华", "海燕", "晓东", "伟",   "芳",
                                            "敏",   "静",   "磊",   "强",   "军",   "洋",   "勇",   "艳",
                                            "杰",   "涛",   "明",   "超",   "霞",   "平",   "刚",   "桂英",
                                            "玉兰", "文",   "斌",   "婷",   "雪梅", "建华", "红梅", "浩"};

constexpr std::string_view kContactTitles[] = {"总经理",   "副总经理", "采购经理", "信息部经理", "财务总监",
                                               "生产厂长", "行政主管", "IT 主管",  "董事长助理"};

constexpr std::string_view kMobilePrefixes[] = {"133", "135", "136", "138", "139", "150", "151", "152", "158",
                                                "159", "177", "180", "186", "187", "188", "189", "199"};

constexpr std::string_view kBanks[] = {"中国工商银行", "中国建设银行", "中国农业银行", "中国银行",
                                       "招商银行",     "交通银行",     "兴业银行",     "浦发银行"};

// The product: a cloud ERP for manufacturers, sold as yearly user licences with modules and
// services. Prices in fen.
constexpr DemoProduct kLicence = {"云 ERP 标准版用户许可（年）", 120'000, 10, 80};
constexpr DemoProduct kModules[] = {
    {"生产制造 MES 模块", 4'800'000, 1, 1},
    {"WMS 仓储管理模块", 3'600'000, 1, 1},
    {"财务业财一体化模块", 2'800'000, 1, 1},
    {"移动审批 App", 900'000, 1, 1},
};
constexpr DemoProduct kServices[] = {
    {"实施服务（人天）", 180'000, 5, 30},
    {"现场培训（天）", 250'000, 1, 3},
    {"历史数据迁移服务", 1'500'000, 1, 1},
};
constexpr DemoProduct kMaintenance = {"年度运维服务", 2'000'000, 1, 1};

constexpr std::string_view kContractExtras[] = {"赠送现场培训 1 天", "首年免费远程运维", "上线后 30 天内驻场支持",
                                                "赠送 5 个移动审批账号", "免费升级至下一版本"};

constexpr DemoNote kPotentialNotes[] = {
    {FollowUpChannel::kPhone, "电话联系{contact}，介绍了云 ERP，对方对库存和生产计划模块感兴趣，约了上门演示。"},
    {FollowUpChannel::kVisit, "上门拜访{contact}，参观了车间，目前用 Excel 排产，换系统的意愿较强。"},
    {FollowUpChannel::kWechat, "加了{contact}的微信，发了产品资料和两家同行的案例。"},
    {FollowUpChannel::kEmail, "给{contact}发了初步方案和报价区间，等对方内部讨论。"},
    {FollowUpChannel::kPhone, "{contact}说老板下周出差回来再定，先保持联系。"},
    {FollowUpChannel::kVisit, "和{contact}及财务一起开了需求会，主要痛点是月底对账慢、库存不准。"},
    {FollowUpChannel::kPhone, "回访{contact}，对方在比较两家供应商，关注实施周期和价格。"},
    {FollowUpChannel::kWechat, "{contact}发来现有的物料编码表，想了解数据迁移的工作量。"},
    {FollowUpChannel::kOther, "在行业展会上和{contact}交换了名片，约了下周电话沟通。"},
};

constexpr DemoNote kIntentionNotes[] = {
    {FollowUpChannel::kVisit, "带实施顾问给{contact}做了完整演示，对方确认了模块范围。"},
    {FollowUpChannel::kEmail, "按{contact}的要求调整了报价，去掉了 WMS 模块，等待盖章流程。"},
    {FollowUpChannel::kPhone, "{contact}反馈合同条款法务在审，预计本周内回复。"},
    {FollowUpChannel::kWechat, "和{contact}确认了付款方式：签约付首款，上线验收后付尾款。"},
    {FollowUpChannel::kVisit, "陪{contact}参观了一家已上线的客户，对方很满意。"},
};

constexpr DemoNote kAftersalesNotes[] = {
    {FollowUpChannel::kVisit, "实施启动会已开，和{contact}确认了上线计划和项目组成员。"},
    {FollowUpChannel::kPhone, "回访{contact}，基础数据已导入，下周开始培训关键用户。"},
    {FollowUpChannel::kWechat, "{contact}反馈打印模板需要调整，已安排顾问远程处理。"},
    {FollowUpChannel::kEmail, "给{contact}发了上线验收单和尾款提醒。"},
};

constexpr std::string_view kRejectReasons[] = {
    "地址不完整，请补充到门牌号后重新保护",
    "与已有客户疑似同一家企业（同一法人），请核实后上报",
    "公司全称与营业执照不一致，请按执照填写",
    "联系电话无法接通，请核实后再录入",
};

constexpr std::string_view kAbandonReasons[] = {
    "客户已选用其他供应商",
    "客户今年没有信息化预算",
    "决策人离职，项目暂停",
    "客户规模太小，不是目标客户",
};

constexpr std::string_view kExtensionReasons[] = {
    "客户内部审批流程长，预计下月初出结果",
    "客户老板出国考察，需等其回国后拍板",
    "客户正在做年度预算，希望预算批下来再谈",
};

constexpr std::string_view kPromotionReasons[] = {
    "客户已确认需求并索要正式报价",
    "已完成产品演示，客户有明确的预算和上线时间",
    "客户老板已口头同意，进入合同谈判",
};

constexpr std::string_view kPromotionDenials[] = {
    "预算还没落实，继续跟进后再申请",
    "还没见到决策人，先约老板见面",
};

constexpr std::string_view kExtensionDenials[] = {
    "跟进记录太少，先把决策人约出来",
    "客户意向不明确，建议放回公共池",
};

}  // namespace

std::span<const DemoCity> Cities() {
  return kCities;
}
std::span<const DemoTradeName> TradeNames() {
  return kTradeNames;
}
std::span<const DemoIndustry> Industries() {
  return kIndustries;
}
std::span<const std::string_view> LegalForms() {
  return kLegalForms;
}
std::span<const std::string_view> Streets() {
  return kStreets;
}
std::span<const std::string_view> Surnames() {
  return kSurnames;
}
std::span<const std::string_view> GivenNames() {
  return kGivenNames;
}
std::span<const std::string_view> ContactTitles() {
  return kContactTitles;
}
std::span<const std::string_view> MobilePrefixes() {
  return kMobilePrefixes;
}
std::span<const std::string_view> Banks() {
  return kBanks;
}

const DemoProduct& LicenceProduct() {
  return kLicence;
}
std::span<const DemoProduct> ModuleProducts() {
  return kModules;
}
std::span<const DemoProduct> ServiceProducts() {
  return kServices;
}
const DemoProduct& MaintenanceProduct() {
  return kMaintenance;
}
std::span<const std::string_view> ContractExtras() {
  return kContractExtras;
}

std::span<const DemoNote> PotentialNotes() {
  return kPotentialNotes;
}
std::span<const DemoNote> IntentionNotes() {
  return kIntentionNotes;
}
std::span<const DemoNote> AftersalesNotes() {
  return kAftersalesNotes;
}
std::span<const std::string_view> RejectReasons() {
  return kRejectReasons;
}
std::span<const std::string_view> AbandonReasons() {
  return kAbandonReasons;
}
std::span<const std::string_view> ExtensionReasons() {
  return kExtensionReasons;
}
std::span<const std::string_view> PromotionReasons() {
  return kPromotionReasons;
}
std::span<const std::string_view> PromotionDenials() {
  return kPromotionDenials;
}
std::span<const std::string_view> ExtensionDenials() {
  return kExtensionDenials;
}

}  // namespace crm::demo
