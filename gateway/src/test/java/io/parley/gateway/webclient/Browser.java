package io.parley.gateway.webclient;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One user's headless Debian Chromium (its own profile, so its own localStorage and session), with the few
 * steps the browser tests repeat. A missing browser is a failure, never a skip: .ci/run installs Debian's
 * packages when they are absent.
 */
final class Browser implements AutoCloseable {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final String base;
    private boolean emulatingOffline;
    private boolean mobile;

    Browser(int port) {
        assertThat(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute())
                .as("Debian chromium and chromium-driver must be installed (apt-get install chromium chromium-driver)")
                .isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        try {
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1280,860", "--lang=en-GB",
                    "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        base = "http://127.0.0.1:" + port;
    }

    /** A fresh start for the next test: no session, no outbox, the desktop size, online. */
    void reset() {
        online();
        driver.get(base + "/client/favicon.svg");
        driver.executeScript("localStorage.clear(); sessionStorage.clear();");
        if (mobile) {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
            mobile = false;
        }
    }

    /** A phone's viewport, exactly 390 x 844 CSS pixels (a window size would include the headless frame). */
    void mobile() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        mobile = true;
    }

    void open() {
        driver.get(base + "/");
    }

    void reload() {
        driver.navigate().refresh();
    }

    void signIn(String handle, String password) {
        open();
        until(d -> !d.findElements(By.id("handle")).isEmpty());
        type(By.id("handle"), handle);
        type(By.id("password"), password);
        click(By.id("sign-in-button"));
        waitOnline();
    }

    void signUp(String handle, String displayName, String password) {
        open();
        until(d -> !d.findElements(By.id("handle")).isEmpty());
        click(By.id("sign-up-button"));
        type(By.id("handle"), handle);
        type(By.id("display-name"), displayName);
        type(By.id("password"), password);
        click(By.id("sign-in-button"));
        waitOnline();
    }

    void waitOnline() {
        until(d -> "online".equals(text(By.id("connection"))));
    }

    /** The inbox row of a conversation, by its title. */
    void openChat(String title) {
        until(d -> !d.findElements(By.xpath(convXpath(title))).isEmpty());
        driver.findElement(By.xpath(convXpath(title))).click();
        until(d -> title.equals(text(By.id("conversation-title"))));
        until(d -> !d.findElements(By.id("messages")).isEmpty());
    }

    static String convXpath(String title) {
        return "//button[contains(@class,'conv')][.//span[@class='conv-title' and text()=\"" + title + "\"]]";
    }

    void send(String text) {
        type(By.id("composer-text"), text);
        click(By.id("send-button"));
    }

    /** The stored message (it has a seq) whose text is the given one; waits for it. */
    WebElement message(String text) {
        By by = messageBy(text);
        until(d -> !d.findElements(by).isEmpty());
        return driver.findElement(by);
    }

    /** Whether the stored message with this text has an element matching the CSS selector (found afresh). */
    boolean messageHas(String text, String css) {
        List<WebElement> found = driver.findElements(messageBy(text));
        return !found.isEmpty() && !found.get(0).findElements(By.cssSelector(css)).isEmpty();
    }

    /** Opens the action menu of the stored message with this text and picks one entry. */
    void messageAction(String text, String css) {
        WebElement button = message(text).findElement(By.cssSelector(".msg-actions"));
        js("arguments[0].click()", button);
        click(By.cssSelector(".msg-menu " + css));
    }

    static By messageBy(String text) {
        return By.xpath("//li[contains(@class,'msg') and @data-seq][.//span[contains(@class,'text') and text()=\"" + text + "\"]]");
    }

    /**
     * The visible controls that have no accessible name (aria-label, aria-labelledby, a label, their own text, a
     * title, an image with alt text), each as the start of its markup: a screen reader could only say "button".
     */
    @SuppressWarnings("unchecked")
    List<String> unlabelled() {
        return (List<String>) js("return [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea,"
                + " [role=option], [role=menuitem]')].filter(e => e.getClientRects().length > 0)"
                + ".filter(e => !(e.getAttribute('aria-label') || '').trim() && !e.getAttribute('aria-labelledby')"
                + " && !(e.labels && e.labels.length) && !(e.textContent || '').trim() && !(e.title || '').trim()"
                + " && !e.querySelector('img[alt]:not([alt=\"\"])')).map(e => e.outerHTML.slice(0, 160))");
    }

    /** Keys typed into whatever has the focus (as a user at the keyboard). */
    void keys(CharSequence... keys) {
        new org.openqa.selenium.interactions.Actions(driver).sendKeys(keys).perform();
    }

    /** The id (or else the text) of the focused element. */
    String focused() {
        return (String) js("const e = document.activeElement; return e ? (e.id || e.dataset.id || e.textContent.trim()) : null");
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /** The text of the first match, or null; read again when the client re-rendered it meanwhile. */
    String text(By by) {
        for (int attempt = 0; ; attempt++) {
            try {
                List<WebElement> found = driver.findElements(by);
                return found.isEmpty() ? null : found.get(0).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) throw e;
            }
        }
    }

    void type(By by, String text) {
        WebElement el = driver.findElement(by);
        el.clear();
        el.sendKeys(text);
    }

    void click(By by) {
        // found and clicked in one step: the client re-renders lists, so an element found earlier may be gone
        until(d -> {
            List<WebElement> found = d.findElements(by);
            if (found.isEmpty() || !found.get(0).isDisplayed() || !found.get(0).isEnabled()) return false;
            // centred first: a sticky header covers what the driver scrolls only just into view
            js("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", found.get(0));
            try {
                found.get(0).click();
            } catch (org.openqa.selenium.ElementClickInterceptedException covered) {
                return false;   // a toast or menu over it for a moment: try again until the wait ends
            }
            return true;
        });
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T until(ExpectedCondition<T> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class).until(condition);
        } catch (RuntimeException e) {
            screenshot("failure-" + System.currentTimeMillis());
            System.out.println("page at failure: " + driver.getPageSource());
            throw e;
        }
    }

    /** Chromium's network emulation: the page sees `offline`, requests and new sockets fail. */
    void offline() {
        ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
        conditions.setOffline(true);
        driver.setNetworkConditions(conditions);
        emulatingOffline = true;
    }

    void online() {
        if (emulatingOffline) {
            driver.setNetworkConditions(new ChromiumNetworkConditions().setOffline(false));
            emulatingOffline = false;
        }
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.out.println("screenshot " + name + " not saved: " + e);
        }
    }

    /**
     * Script errors the page raised since the last call (uncaught exceptions, unhandled rejections): the client
     * must have none. Failed requests the tests cause on purpose (offline, a refused token) are not script errors.
     */
    List<String> scriptErrors() {
        List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
        severe.forEach(m -> System.out.println("browser log: " + m));
        return severe.stream()
                .filter(m -> m.contains("Uncaught") || m.contains("TypeError") || m.contains("ReferenceError"))
                .toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
